// Writes docs/figures.md from the figure table (src/render/figure-docs.ts, bundled here with esbuild so no
// TypeScript runner is needed). `node scripts/docs.mjs --check` only compares and exits 1 when it is stale.
import { build } from 'esbuild';
import { writeOrCheck } from './generated.mjs';

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
writeOrCheck(target, figuresMarkdown(), { written: 'docs/figures.md', stale: 'docs/figures.md 与指标表不一致：请运行 npm run docs' });
