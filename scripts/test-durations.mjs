// Rewrites test/durations.json, the order the test files start in (test/sequencer.ts), from what vitest
// recorded of the last run in this checkout (node_modules/.vite/vitest/*/results.json). Run it after a full
// `npm test` on an idle machine: files of 2.5 s or more are listed, longest first; the others are guessed
// from their size.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = 'node_modules/.vite/vitest';
const runs = existsSync(dir) ? readdirSync(dir).map((d) => join(dir, d, 'results.json')).filter(existsSync) : [];
if (runs.length === 0) {
  console.error(`no vitest results under ${dir}: run npm test first`);
  process.exit(1);
}
const times = {};
for (const file of runs) {
  for (const [key, r] of JSON.parse(readFileSync(file, 'utf8')).results ?? []) {
    const path = key.split(':').slice(1).join(':');
    if (existsSync(path) && r.duration >= 2500) times[key] = Math.round(r.duration / 100) / 10;
  }
}
const sorted = Object.fromEntries(Object.entries(times).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
writeFileSync('test/durations.json', `${JSON.stringify(sorted, null, 2)}\n`);
console.log(`test/durations.json: ${Object.keys(sorted).length} files`);
