/**
 * The PostgreSQL project's server: a throwaway cluster started for the run and stopped at its end
 * (scripts/pg-cluster.mjs). Without the server binaries the run fails, saying how to install them: the
 * PostgreSQL tests are never skipped silently.
 *
 * The shared fixtures are template databases built once: one made by `init` (as `initialised()` makes it)
 * and the demo database, their server clock set to the tests' today (TODAY). A test's database is cloned from one of them (CREATE DATABASE … TEMPLATE), which
 * takes a fraction of running the migrations or the demo again.
 *
 * The templates are built after this setup has returned, while the SQLite project's files run (they start
 * first, test/sequencer.ts): every global setup ends before any test starts, so a setup that waited for them
 * would leave both workers idle meanwhile. A template is marked ready (pg_database.datistemplate) once built;
 * a worker waits for that before its first copy (test/engines.ts), and a build that fails is written to
 * `pgTemplates.failed`, which that wait reports. The SQLite fixtures are awaited here: those files need them
 * as soon as they start.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startCluster } from '../scripts/pg-cluster.mjs';
import { fixturesBuilt, must } from './fixtures-setup.js';
import { INIT_ARGS, scratchRoot, TODAY } from './run-cli.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The superuser's connection to the cluster's `postgres` database. */
    pgAdminUrl: string;
    /**
     * Template databases on the cluster: made by `init` (INIT_ARGS) and by `demo`, each usable once marked a
     * template; `failed`: the file that says why their build failed, if it did.
     */
    pgTemplates: { init: string; demo: string; failed: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startCluster({ log: (s: string) => console.log(s), parent: scratchRoot(tmpdir()) });
  const url = (name: string) => {
    const u = new URL(cluster.url);
    u.pathname = `/${name}`;
    return u.toString();
  };
  const psql = (sql: string, database = cluster.url) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn('psql', [database, '-qAt', '-v', 'ON_ERROR_STOP=1', '-c', sql], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`psql: ${stderr}`))));
    });
  const names = { init: 'xypz_template_init', demo: 'xypz_template_demo' };
  const dir = mkdtempSync(join(scratchRoot(tmpdir()), 'xypz-pg-fixtures-'));
  const templates = { ...names, failed: join(dir, 'templates-failed.txt') };
  try {
    for (const t of Object.values(names)) await psql(`create database ${t}`);
  } catch (e) {
    cluster.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  // Each template: built, its server clock set to the tests' today, then marked ready. The server's clock
  // shows the tests' today, as XYPZ_TODAY does the CLI's: what a login enters is stamped, and judged late or
  // not, by the server's clock (test/real-logins.ts sets another day).
  const build = async (name: string, args: string[]) => {
    await must(dir, args, { XYPZ_DB: url(name) });
    await psql(`update xypz.server_clock set today = '${TODAY}'`, url(name));
    await psql(`alter database ${name} is_template true`);
  };
  // Both settle before anything is reported (the other build's connections are not cut by the cluster's stop).
  const built = Promise.allSettled([build(names.init, INIT_ARGS), build(names.demo, ['demo', '--db', url(names.demo)])]).then((results) => {
    const why = results.flatMap((r) => (r.status === 'rejected' ? [r.reason instanceof Error ? r.reason.message : String(r.reason)] : []));
    if (why.length === 0) return;
    console.error(`PostgreSQL templates: ${why.join('; ')}`);
    writeFileSync(templates.failed, why.join('; '));
  });
  let templatesCpu: number | undefined;
  void built.then(() => (templatesCpu = cluster.cpu()));
  try {
    // The SQLite project's fixtures, built meanwhile in processes of their own.
    await fixturesBuilt();
  } catch (e) {
    await built;
    cluster.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  project.provide('pgAdminUrl', cluster.url);
  project.provide('pgTemplates', templates);
  return async () => {
    await built;
    // XYPZ_PG_CPU=1: the server's CPU for the run (its processes' user + system time), for measuring the tests.
    if (process.env.XYPZ_PG_CPU) console.log(`PostgreSQL server CPU: ${cluster.cpu()?.toFixed(2)} s (templates built by ${templatesCpu?.toFixed(2)} s)`);
    cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
