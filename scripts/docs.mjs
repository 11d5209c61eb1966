// Writes docs/figures.md from the figure table (src/render/figure-docs.ts, bundled here with esbuild so no
// TypeScript runner is needed). `node scripts/docs.mjs --check` only compares and exits 1 when it is stale.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const out = await build({
  entryPoints: [new URL('src/render/figure-docs.ts', root).pathname],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
});
const { figuresMarkdown } = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
const target = new URL('docs/figures.md', root);
const text = figuresMarkdown();
if (process.argv.includes('--check')) {
  let old = '';
  try {
    old = readFileSync(target, 'utf8');
  } catch {
    // missing: stale
  }
  if (old !== text) {
    console.error('docs/figures.md 与指标表不一致：请运行 npm run docs');
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  console.log('docs/figures.md');
}
