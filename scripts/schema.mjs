// Writes src/store/schema.json and docs/schema.md: the schema this program's migrations make, read from a
// fresh SQLite file and a fresh schema on a throwaway PostgreSQL server (scripts/pg-cluster.mjs), and refused
// when the tables both engines have are not alike. src/store/schema-describe.ts is bundled here with esbuild,
// so no TypeScript runner is needed. A test compares each engine with the files written here.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster } from './pg-cluster.mjs';

const root = new URL('..', import.meta.url);
const bundle = new URL('.tmp/schema-describe.mjs', root);
mkdirSync(new URL('.tmp/', root), { recursive: true });
await build({
  entryPoints: [new URL('src/store/schema-describe.ts', root).pathname],
  outfile: bundle.pathname,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3', 'pg', 'exceljs', '@resvg/resvg-js'],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
const { describeFresh, descriptionJson, schemaMarkdown } = await import(bundle.href);
const dir = mkdtempSync(join(tmpdir(), 'xypz-schema-'));
const cluster = await startCluster();
try {
  const d = await describeFresh(join(dir, 'fresh.db'), cluster.url);
  writeFileSync(new URL('src/store/schema.json', root), descriptionJson(d));
  writeFileSync(new URL('docs/schema.md', root), schemaMarkdown(d));
  console.log(`src/store/schema.json, docs/schema.md: ${d.tables.length} shared tables; SQLite alone ${d.sqlite.tables.length} tables, ${d.sqlite.indexes.length} indexes, ${d.sqlite.objects.length} objects; server alone ${d.server.tables.length} tables, ${d.server.indexes.length} indexes, ${d.server.objects.length} objects`);
} finally {
  cluster.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(bundle, { force: true });
}
