/**
 * Builds dist/ once before any test runs (`npm test` and `npx vitest run` alike): the tests that spawn
 * bin/xypz.js then always run the sources under test, never a stale build.
 */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
