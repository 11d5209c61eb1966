// A throwaway PostgreSQL cluster for the tests and the benches: Debian's server binaries
// (/usr/lib/postgresql/<version>/bin, package `postgresql`), initdb into a new temporary directory, listening
// only on 127.0.0.1 at a free port (its unix socket in that directory), a random superuser password. initdb
// and pg_ctl refuse to run as root: as root they run as the `postgres` user (runuser), on a directory it owns.
// stop() shuts the server down (pg_ctl stop -m fast) and removes the directory; a process that exits without
// calling it stops the server too.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = '/usr/lib/postgresql';

/** The bin directory of the newest installed PostgreSQL server (15 preferred), or undefined. */
export function findServerBin() {
  if (!existsSync(ROOT)) return undefined;
  const versions = readdirSync(ROOT)
    .filter((v) => existsSync(join(ROOT, v, 'bin', 'initdb')) && existsSync(join(ROOT, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  const v = versions.includes('15') ? '15' : versions[0];
  return v ? join(ROOT, v, 'bin') : undefined;
}

export const MISSING =
  'PostgreSQL server binaries were not found under /usr/lib/postgresql/*/bin. The PostgreSQL half of the test ' +
  'suite needs a real server: install it (Debian/Ubuntu: `sudo apt-get install -y postgresql`), or run only the ' +
  'SQLite tests with `npx vitest run --project sqlite`.';

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts a cluster; returns { url, host, port, password, dir, stop, cpu }. `url` is the superuser's connection
 * to the `postgres` database; cpu() the server's CPU so far (seconds).
 * `parent` is the directory its data goes under (default: the temporary one).
 */
export async function startCluster({ log = () => {}, parent = tmpdir(), settings = {} } = {}) {
  const bin = findServerBin();
  if (!bin) throw new Error(MISSING);
  const root = process.getuid?.() === 0;
  const owner = root ? Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()) : undefined;
  const group = root ? Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()) : undefined;
  const as = (cmd, args) => (root ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);
  const dir = mkdtempSync(join(parent, 'xypz-pg-'));
  const data = join(dir, 'data');
  const password = randomBytes(12).toString('hex');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (root) {
    chownSync(dir, owner, group);
    chownSync(pwfile, owner, group);
  }
  chmodSync(dir, 0o700);
  const run = (cmd, args) => {
    const [c, a] = as(join(bin, cmd), args);
    const r = spawnSync(c, a, { encoding: 'utf8', cwd: dir });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C.UTF-8']);
  rmSync(pwfile, { force: true });
  const port = await freePort();
  // A throwaway cluster: no durability needed, so no fsync (tests create and drop many databases).
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200${Object.entries(settings).map(([k, v]) => ` -c ${k}=${v}`).join('')}`;
  run('pg_ctl', ['start', '-w', '-t', '60', '-D', data, '-l', join(dir, 'server.log'), '-o', opts]);
  log(`PostgreSQL ${bin.split('/').at(-2)} started on 127.0.0.1:${port} (${dir})`);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['stop', '-m', 'fast', '-w', '-D', data]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      process.off('exit', stop);
    }
    log(`PostgreSQL on 127.0.0.1:${port} stopped`);
  };
  process.on('exit', stop);
  const cpu = () => serverCpu(data);
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  return { url, host: '127.0.0.1', port, password, dir, stop, cpu };
}

/**
 * The CPU the cluster's processes have used so far (seconds, user + system): the postmaster's own, its ended
 * children's (counted when it reaps them) and its live children's, from /proc. Linux only; undefined elsewhere.
 */
function serverCpu(data) {
  try {
    const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    // Fields after the command's closing parenthesis: state is [0], ppid [1], utime [11], stime [12], cutime [13], cstime [14].
    const stat = (p) => readFileSync(`/proc/${p}/stat`, 'utf8').split(') ').at(-1).split(' ');
    const f = stat(pid);
    let ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    for (const p of readdirSync('/proc')) {
      if (!/^\d+$/.test(p)) continue;
      try {
        const c = stat(p);
        if (Number(c[1]) === pid) ticks += Number(c[11]) + Number(c[12]);
      } catch {
        // ended meanwhile
      }
    }
    return ticks / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  } catch {
    return undefined;
  }
}
