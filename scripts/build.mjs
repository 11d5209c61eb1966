// Bundles src/ into dist/ with esbuild. Bundling matters for start-up: kysely alone costs
// ~165 ms as ~400 separate ESM files but ~18 ms as one chunk. Commands stay lazily loaded
// (code splitting keeps each dynamic import() in its own chunk: ECharts, for one, is loaded only to draw a
// chart). better-sqlite3 and @resvg/resvg-js (native binaries) and exceljs
// stay external: they are the package's runtime `dependencies`, shipped inside `npm pack`'s
// tarball as `bundleDependencies`, which is read here so the two lists cannot differ. Everything else is
// compiled into dist/ and is a devDependency.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// pg asks, on loading, whether it runs on Cloudflare Workers; on Node 20 the question (`typeof Response`) loads
// Node's whole fetch implementation, about 35 ms of every command on a server. The bundle only ever runs on Node.
const nodeOnlyPg = {
  name: 'node-only-pg',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]pg[\\/]lib[\\/]stream\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const patched = source.replace('function isCloudflareRuntime() {', 'function isCloudflareRuntime() {\n  return false;');
      if (patched === source) throw new Error(`${args.path}: isCloudflareRuntime() not found; check the pg upgrade`);
      return { contents: patched, loader: 'js' };
    });
  },
};

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
  plugins: [nodeOnlyPg],
  logLevel: 'warning',
});

// Shell completion reads every command's options from this file instead of importing every command.
const { commandShapes } = await import('../dist/complete.js');
writeFileSync(new URL('../dist/commands.json', import.meta.url), JSON.stringify(await commandShapes()));

// SQLite's compiled binding travels in dist/native/: npm pack may leave better-sqlite3's build/ directory out of
// the tarball (its package.json "files" list does not name it), so the tool opens every connection with this copy.
const sqliteDir = dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json'));
mkdirSync(new URL('../dist/native', import.meta.url), { recursive: true });
copyFileSync(join(sqliteDir, 'build', 'Release', 'better_sqlite3.node'), new URL('../dist/native/better_sqlite3.node', import.meta.url));
