/**
 * The shell completion scripts (`xypz completion bash|zsh|fish`) and the environment they give `xypz __complete`:
 * without NODE_EXTRA_CA_CERTS (Node would read that certificate file before every Tab), its value kept for a server.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initialised, sandbox, type Sandbox } from './helpers.js';

const BIN = join(process.cwd(), 'bin', 'xypz.js');
let sb: Sandbox;
afterEach(() => sb?.cleanup());

describe('xypz completion', () => {
  it('every script runs `xypz __complete` with NODE_EXTRA_CA_CERTS emptied and its value kept', async () => {
    sb = sandbox();
    for (const shell of ['bash', 'zsh', 'fish']) {
      const r = await sb.run(['completion', shell]);
      expect(r.code).toBe(0);
      const call = r.stdout.split('\n').find((l) => l.includes('xypz __complete'));
      expect(call, shell).toContain('XYPZ_NODE_EXTRA_CA_CERTS="$NODE_EXTRA_CA_CERTS" NODE_EXTRA_CA_CERTS= xypz __complete ');
    }
    // NODE_OPTIONS is the user's: left alone.
    expect((await sb.run(['completion', 'bash'])).stdout).not.toContain('NODE_OPTIONS');
  });

  it('bash: the completion function runs xypz without the certificate file and completes names', async () => {
    sb = await initialised();
    // `xypz` on the PATH: records the environment it was started with, then runs the real binary.
    const bin = sb.path('bin');
    mkdirSync(bin);
    const seen = sb.path('seen.txt');
    writeFileSync(join(bin, 'xypz'), `#!/bin/sh\nprintf '%s|%s\\n' "\${NODE_EXTRA_CA_CERTS-unset}" "\${XYPZ_NODE_EXTRA_CA_CERTS-unset}" >> '${seen}'\nexec '${process.execPath}' '${BIN}' "$@"\n`);
    chmodSync(join(bin, 'xypz'), 0o755);
    const script = 'source <(xypz completion bash); COMP_WORDS=(xypz enterprise list --district 华); COMP_CWORD=4; _xypz_complete; printf "%s\\n" "${COMPREPLY[@]}"';
    const env = { ...process.env, ...sb.env, PATH: `${bin}:${process.env.PATH}`, XYPZ_DB: sb.path('xypz.db'), NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt' };
    const r = spawnSync('bash', ['-c', script], { cwd: sb.dir, env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('华容区\n');
    // The first line is `xypz completion bash` itself, run as the shell runs any command.
    expect(readFileSync(seen, 'utf8').split('\n').filter(Boolean)).toEqual(['/etc/ssl/certs/ca-certificates.crt|unset', '|/etc/ssl/certs/ca-certificates.crt']);
  });
});

describe('xypz __complete with the certificate file kept aside', () => {
  const complete = (db: string, kept: string) =>
    spawnSync(process.execPath, [BIN, '__complete', 'enterprise', 'list', '--district', ''], {
      cwd: sb.dir,
      encoding: 'utf8',
      env: { ...process.env, ...sb.env, XYPZ_DB: db, NODE_EXTRA_CA_CERTS: '', XYPZ_NODE_EXTRA_CA_CERTS: kept },
    });

  it('reads names from a SQLite file in the one process', async () => {
    sb = await initialised();
    // A certificate file Node cannot read: a process started with it says so on stderr.
    const r = complete(sb.path('xypz.db'), sb.path('no-such-ca.pem'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('鄂城区\n');
    expect(r.stderr).toBe('');
  });

  it('asks a server from a second process that has the certificate file back', async () => {
    sb = sandbox();
    // Nothing listens on port 1: no names, but the second process was started with the certificate file.
    const r = complete('postgres://nobody@127.0.0.1:1/xypz', sb.path('no-such-ca.pem'));
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`Ignoring extra certs from \`${sb.path('no-such-ca.pem')}\``);
    // Without a kept value there is nothing to give back: the one process answers.
    const plain = complete('postgres://nobody@127.0.0.1:1/xypz', '');
    expect(plain.status).toBe(0);
    expect(plain.stderr).toBe('');
  });
});
