/**
 * Builds dist/ once before any test runs (`npm test` and `npx vitest run` alike): the tests that spawn
 * bin/xypz.js then always run the sources under test, never a stale build. Both projects (sqlite, pg) list
 * this setup; the build happens once per run.
 */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  if (process.env.XYPZ_TEST_BUILT === '1') return;
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  process.env.XYPZ_TEST_BUILT = '1';
}
