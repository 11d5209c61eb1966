export interface Cluster {
  /** The superuser's connection to the `postgres` database (password included). */
  url: string;
  host: string;
  port: number;
  password: string;
  dir: string;
  /** Stops the server (pg_ctl stop -m fast) and removes its directory. */
  stop(): void;
  /** The CPU the server's processes have used so far (seconds, user + system; undefined where /proc is not). */
  cpu(): number | undefined;
}
export function findServerBin(): string | undefined;
export const MISSING: string;
/**
 * `parent`: the directory the cluster's data goes under (default: the temporary directory); `settings`: more
 * server settings (`-c name=value`).
 */
export function startCluster(opts?: { log?: (line: string) => void; parent?: string; settings?: Record<string, string | number> }): Promise<Cluster>;
