/**
 * Where better-sqlite3's compiled binding is loaded from. The tarball that `npm pack` makes carries
 * better-sqlite3 inside it, but whether that copy keeps its build/ directory depends on npm (the package's
 * own "files" list leaves build/ out, and npm honours that list or not depending on its cached view of
 * node_modules). So the build copies the binding to dist/native/, each entry point names that copy here,
 * and every connection is opened with it. Run from src/ (tests, development) there is no copy and
 * better-sqlite3 finds its own binding as usual.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Options } from 'better-sqlite3';

let binding: string | undefined;

/** Use the binding at `url` when it exists (dist/native/better_sqlite3.node beside the entry point). */
export function useSqliteBinding(url: URL): void {
  const path = fileURLToPath(url);
  if (existsSync(path)) binding = path;
}

/** better-sqlite3's options with the shipped binding, if there is one. */
export function sqliteOptions(options: Options = {}): Options {
  return binding === undefined ? options : { ...options, nativeBinding: binding };
}
