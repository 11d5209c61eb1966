/**
 * The PostgreSQL project's server: a throwaway cluster started for the run and stopped at its end
 * (scripts/pg-cluster.mjs). Without the server binaries the run fails, saying how to install them: the
 * PostgreSQL tests are never skipped silently.
 *
 * The shared fixtures are template databases built once: one made by `init` (as `initialised()` makes it)
 * and the demo database, their server clock set to the tests' today (TODAY). A test's database is cloned from one of them (CREATE DATABASE … TEMPLATE), which
 * takes a fraction of running the migrations or the demo again.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
    /** Template databases on the cluster: made by `init` (INIT_ARGS) and by `demo`. */
    pgTemplates: { init: string; demo: string };
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const cluster = await startCluster({ log: (s: string) => console.log(s), parent: scratchRoot(tmpdir()) });
  const url = (name: string) => {
    const u = new URL(cluster.url);
    u.pathname = `/${name}`;
    return u.toString();
  };
  const psql = (sql: string, database = cluster.url) => {
    const r = spawnSync('psql', [database, '-qAt', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
  };
  const templates = { init: 'xypz_template_init', demo: 'xypz_template_demo' };
  const dir = mkdtempSync(join(scratchRoot(tmpdir()), 'xypz-pg-fixtures-'));
  try {
    psql(`create database ${templates.init}`);
    psql(`create database ${templates.demo}`);
    await Promise.all([
      must(dir, INIT_ARGS, { XYPZ_DB: url(templates.init) }),
      must(dir, ['demo', '--db', url(templates.demo)], { XYPZ_DB: url(templates.demo) }),
      // The SQLite project's fixtures, built meanwhile in processes of their own.
      fixturesBuilt(),
    ]);
    // The server's clock shows the tests' today, as XYPZ_TODAY does the CLI's: what a login enters is
    // stamped, and judged late or not, by the server's clock (test/real-logins.ts sets another day).
    for (const t of Object.values(templates)) psql(`update xypz.server_clock set today = '${TODAY}'`, url(t));
  } catch (e) {
    cluster.stop();
    throw e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  project.provide('pgAdminUrl', cluster.url);
  project.provide('pgTemplates', templates);
  return () => cluster.stop();
}
