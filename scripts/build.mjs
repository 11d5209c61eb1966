// Bundles src/ into dist/ with esbuild. Bundling matters for start-up: kysely alone costs
// ~165 ms as ~400 separate ESM files but ~18 ms as one chunk. Commands stay lazily loaded
// (code splitting keeps each dynamic import() in its own chunk). better-sqlite3 (native) and
// exceljs (patched in node_modules by patch-package) stay external.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  // sheets: the spreadsheet reader on its own, for bench/import.mjs
  entryPoints: { cli: 'src/cli.ts', sheets: 'src/import/sheets.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  external: ['better-sqlite3', 'exceljs'],
  // CommonJS dependencies bundled into ESM need a require().
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
