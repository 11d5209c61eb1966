// Bundles src/ into dist/ with esbuild. Bundling matters for start-up: kysely alone costs
// ~165 ms as ~400 separate ESM files but ~18 ms as one chunk. Commands stay lazily loaded
// (code splitting keeps each dynamic import() in its own chunk: ECharts, for one, is loaded only to draw a
// chart). better-sqlite3 and @resvg/resvg-js (native binaries) and exceljs (patched in node_modules by
// patch-package) stay external: they are the package's runtime `dependencies`, shipped inside `npm pack`'s
// tarball as `bundleDependencies`, which is read here so the two lists cannot differ. Everything else is
// compiled into dist/ and is a devDependency.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  // sheets: the spreadsheet reader on its own, for bench/import.mjs; complete: shell completion, which
  // bin/xypz.js loads without the rest of the CLI so that a Tab answers at once.
  entryPoints: { cli: 'src/cli.ts', sheets: 'src/import/sheets.ts', complete: 'src/complete.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  external: pkg.bundleDependencies,
  // CommonJS dependencies bundled into ESM need a require().
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});

// Shell completion reads every command's options from this file instead of importing every command.
const { commandShapes } = await import('../dist/complete.js');
writeFileSync(new URL('../dist/commands.json', import.meta.url), JSON.stringify(await commandShapes()));
