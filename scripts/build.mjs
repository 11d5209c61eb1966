// Bundles src/ into dist/ with esbuild. Bundling matters for start-up: kysely alone costs
// ~165 ms as ~400 separate ESM files but ~18 ms as one chunk. Commands stay lazily loaded
// (code splitting keeps each dynamic import() in its own chunk: ECharts, for one, is loaded only to draw a
// chart). better-sqlite3 and @resvg/resvg-js (native binaries) are the package's runtime `dependencies`, shipped
// inside `npm pack`'s tarball as `bundleDependencies`, which is read here so the two lists cannot differ; they stay
// external, except better-sqlite3's JavaScript: its binary is loaded from dist/native/ (below), and its ~15 CommonJS
// files, loaded through Node's ESM-to-CommonJS translation, cost each command that reads a database about a third of
// a bare node start-up (callgrind: 162.8 M instructions to open the file and read names, 118.2 M bundled; bare
// node 86.5 M). Everything else is compiled into dist/ and is a devDependency: exceljs too (as ~400
// CommonJS files it took about 0.9 s to load, the largest part of writing a small workbook; as one chunk about
// a third of that). The licences of everything compiled in go into dist/THIRD-PARTY-NOTICES.txt.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// Small source changes to bundled packages, each for a measured cost; a change whose text is no longer found stops
// the build (check it after upgrading the package).
const PATCHES = [
  {
    // pg asks, on loading, whether it runs on Cloudflare Workers; on Node 20 the question (`typeof Response`) loads
    // Node's whole fetch implementation, about 35 ms of every command on a server. The bundle only ever runs on Node.
    file: /[\\/]node_modules[\\/]pg[\\/]lib[\\/]stream\.js$/,
    from: 'function isCloudflareRuntime() {',
    to: 'function isCloudflareRuntime() {\n  return false;',
  },
  {
    // commander loads node:child_process as it loads, for subcommands that are separate programs (xypz has none):
    // with net and dgram behind it, about 8% of `xypz --help`'s CPU time. Now loaded only if it ever spawns one.
    file: /[\\/]node_modules[\\/]commander[\\/]lib[\\/]command\.js$/,
    from: "const childProcess = require('node:child_process');",
    to: "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };",
  },
  {
    // cli-table3 measures each cell's text many times over while it lays out a table (86 organisations: 7,252
    // calls for 368 different strings), and each measurement runs a regular expression of every emoji over the
    // text: most of `xypz org list`'s own time. The width of a string never changes, so it is remembered.
    file: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/,
    from: 'module.exports = stringWidth;\n// TODO: remove this in the next major version\nmodule.exports.default = stringWidth;',
    to: `const widths = new Map();
const rememberedWidth = (string) => {
  if (typeof string !== 'string') return stringWidth(string);
  let width = widths.get(string);
  if (width === undefined) {
    if (widths.size >= 100000) widths.clear();
    width = stringWidth(string);
    widths.set(string, width);
  }
  return width;
};
module.exports = rememberedWidth;
module.exports.default = rememberedWidth;`,
  },
  {
    // The same for cli-table3's own measure (a cell's widest line without colour codes), called again for every
    // line it pads or checks for truncation: the next largest part of its time once string-width remembers.
    file: /[\\/]node_modules[\\/]cli-table3[\\/]src[\\/]utils\.js$/,
    from: 'function strlen(str) {',
    to: `const strlens = new Map();
function strlen(str) {
  const s = '' + str;
  let width = strlens.get(s);
  if (width === undefined) {
    if (strlens.size >= 100000) strlens.clear();
    width = measuredStrlen(s);
    strlens.set(s, width);
  }
  return width;
}
function measuredStrlen(str) {`,
  },
];

const patches = {
  name: 'patches',
  setup(b) {
    for (const p of PATCHES) {
      b.onLoad({ filter: p.file }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes(p.from)) throw new Error(`${args.path}: \`${p.from.split('\n')[0]}\` not found; check the upgrade`);
        return { contents: source.replace(p.from, () => p.to), loader: 'js' };
      });
    }
  },
};

/**
 * Node's built-in modules, imported as ES modules, each get a facade module with a copy of every export, made as the
 * import is linked: for node:fs that reads fs.promises, which loads Node's promise file system and readline behind
 * it. Here a static import of a built-in becomes process.getBuiltinModule() (the module as require() gives it);
 * measured with callgrind (--single-threaded, fixed seeds), `import { writeSync } from 'node:fs'` added 29.7 M
 * instructions to an empty module's 127.3 M, process.getBuiltinModule('node:fs') 0.2 M.
 */
const builtins = {
  name: 'builtins',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => (args.kind === 'import-statement' ? { path: args.path, namespace: 'builtin' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({ contents: `module.exports = process.getBuiltinModule(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const result = await build({
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
  external: pkg.bundleDependencies.filter((name) => name !== 'better-sqlite3'),
  // CommonJS dependencies bundled into ESM need a require().
  banner: { js: "const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [patches, builtins],
  logLevel: 'warning',
  metafile: true,
});
writeFileSync(new URL('../dist/THIRD-PARTY-NOTICES.txt', import.meta.url), notices(result.metafile));

// Shell completion reads every command's options from this file instead of importing every command.
const { commandShapes } = await import('../dist/complete.js');
writeFileSync(new URL('../dist/commands.json', import.meta.url), JSON.stringify(await commandShapes()));

// ECharts once more as a classic script (dist/echarts.js), and V8's code cache of it after drawing sample charts
// (dist/echarts.cache): Node 20 caches no compiled code for ES modules, and compiling ECharts cost every process
// that draws a chart about 70 ms of CPU. loadEcharts in src/render/charts.ts uses them when both are there.
await build({ entryPoints: { echarts: 'src/render/chart-echarts.ts' }, outdir: 'dist', bundle: true, format: 'iife', globalName: 'xypzEcharts', platform: 'node', target: 'node20', logLevel: 'warning' });
const cacheWriter = new URL('../dist/echarts-cache-writer.mjs', import.meta.url);
await build({ entryPoints: ['src/render/charts.ts'], outfile: fileURLToPath(cacheWriter), bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' });
await (await import(cacheWriter.href)).writeEchartsCache(fileURLToPath(new URL('../dist', import.meta.url)));
rmSync(cacheWriter);

// SQLite's compiled binding travels in dist/native/: npm pack may leave better-sqlite3's build/ directory out of
// the tarball (its package.json "files" list does not name it), so the tool opens every connection with this copy.
const sqliteDir = dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json'));
mkdirSync(new URL('../dist/native', import.meta.url), { recursive: true });
copyFileSync(join(sqliteDir, 'build', 'Release', 'better_sqlite3.node'), new URL('../dist/native/better_sqlite3.node', import.meta.url));

/**
 * The packages compiled into dist/ (from esbuild's list of inputs), each with its version, licence and licence
 * text: their licences (MIT, BSD, Apache-2.0 …) ask for the notice to travel with the code.
 */
function notices(metafile) {
  const dirs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const parts = input.split(/[\\/]/);
    const at = parts.lastIndexOf('node_modules');
    if (at < 0) continue;
    dirs.add(parts.slice(0, at + (parts[at + 1].startsWith('@') ? 3 : 2)).join(sep));
  }
  const out = ['Third-party software compiled into this package (dist/), with its licence.', ''];
  for (const dir of [...dirs].sort()) {
    const p = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const files = readdirSync(dir, { withFileTypes: true }).filter((f) => f.isFile() && /^(licen[cs]e|copying|notice)/i.test(f.name)).map((f) => f.name).sort();
    const license = typeof p.license === 'string' ? p.license : (p.license?.type ?? (p.licenses ?? []).map((l) => l.type).join(' OR '));
    out.push('='.repeat(78), `${p.name} ${p.version}${license ? (license.startsWith('(') ? ` ${license}` : ` (${license})`) : ''}`, '='.repeat(78));
    for (const f of files) out.push(readFileSync(join(dir, f), 'utf8').trimEnd(), '');
    if (files.length === 0) out.push(`(no licence file in the package; its package.json names ${license || 'no licence'})`, '');
  }
  return `${out.join('\n')}\n`;
}
