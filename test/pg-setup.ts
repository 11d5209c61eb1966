/**
 * The PostgreSQL project's server: a throwaway cluster started for the run and stopped at its end
 * (scripts/pg-cluster.mjs). Without the server binaries the run fails, saying how to install them: the
 * PostgreSQL tests are never skipped silently.
 */
import type { TestProject } from 'vitest/node';
import { startCluster } from '../scripts/pg-cluster.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The superuser's connection to the cluster's `postgres` database. */
    pgAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const cluster = await startCluster({ log: (s: string) => console.log(s) });
  project.provide('pgAdminUrl', cluster.url);
  return () => cluster.stop();
}
