/**
 * Makes sure dist/ is built from the sources before any test runs (`npm test` and `npx vitest run` alike): the
 * tests that spawn bin/xypz.js then always run the sources under test, never a stale build. Both projects
 * (sqlite, pg) list this setup; it runs once per run.
 *
 * A build takes about 5 s of CPU (esbuild's bundle, the notices, the command shapes). A dist/ finished after
 * the last change to everything it is made from is kept: `npm ci` (CI) and `npm install` build it through the
 * prepare script just before, and a run after a run changes nothing. Any source, the build script, the
 * package and lock files, tsconfig.json or the installed packages changed since (a save, a checkout, an npm
 * install all set the file's time) and it is built again.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What dist/ is made from: the newest modification time among these files and every file under src/. */
const INPUTS = ['scripts/build.mjs', 'package.json', 'package-lock.json', 'tsconfig.json', 'node_modules/.package-lock.json'];
/** The build's last outputs: written after the bundle (scripts/build.mjs), so a build cut short lacks one of them. */
const OUTPUTS = ['dist/commands.json', 'dist/native/better_sqlite3.node', 'dist/cli.js'];

function mtime(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function newestUnder(dir: string): number {
  let newest = mtime(dir) ?? 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestUnder(p) : (mtime(p) ?? 0));
  }
  return newest;
}

/** Whether dist/ was finished after the last change to anything it is made from. */
function distIsCurrent(root = process.cwd()): boolean {
  const built = OUTPUTS.map((f) => mtime(join(root, f)));
  if (built.some((t) => t === undefined)) return false;
  const inputs = Math.max(newestUnder(join(root, 'src')), ...INPUTS.map((f) => mtime(join(root, f)) ?? Infinity));
  return inputs < Math.min(...(built as number[]));
}

export default function setup(): void {
  if (process.env.XYPZ_TEST_BUILT === '1') return;
  if (!distIsCurrent()) execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  process.env.XYPZ_TEST_BUILT = '1';
}
