#!/usr/bin/env node
// The raw SQL aggregate behind `xypz report monthly`, on PostgreSQL: the statements of report-raw.mjs (the
// text src/store/figures.ts builds; kysely writes $1, $2 … where SQLite has ?), run with the `pg` driver on
// one connection in the schema xypz, as the CLI does.
// As a child process: node bench/report-raw-pg.mjs <postgres://…> [period YYYY-MM] [--explain] → one JSON line
// on stdout, like report-raw.mjs (process start, connect, each query's time and rows, the rows themselves);
// with --explain, each statement's plan (EXPLAIN ANALYZE) instead.
const startMs = performance.now();
const { default: pg } = await import('pg');
const { monthSpan, statements } = await import('./report-raw.mjs');
const loadedMs = performance.now();

/** `?` placeholders as PostgreSQL's `$n`. */
export function numbered(sql) {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

// bigint and numeric (counts, sums) as numbers, as the store converts them.
const types = { getTypeParser: (oid, format) => (oid === 20 || oid === 1700 ? Number : pg.types.getTypeParser(oid, format)) };

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const [url, period = '2025-06', mode] = process.argv.slice(2);
  const t0 = performance.now();
  const client = new pg.Client({ connectionString: url, options: '-c search_path=xypz', types, application_name: 'xypz-bench-raw' });
  await client.connect();
  const t1 = performance.now();
  const out = [];
  for (const s of statements(monthSpan(period))) {
    const text = numbered(s.sql);
    if (mode === '--explain') {
      const r = await client.query(`explain (analyze, buffers, costs off) ${text}`, s.params);
      out.push({ name: s.name, plan: r.rows.map((x) => x['QUERY PLAN']) });
      continue;
    }
    const t = performance.now();
    const r = await client.query(text, s.params);
    out.push({ name: s.name, ms: performance.now() - t, rows: r.rows });
  }
  const t2 = performance.now();
  await client.end();
  if (mode === '--explain') process.stdout.write(`${JSON.stringify(out)}\n`);
  else {
    process.stdout.write(
      `${JSON.stringify({ startMs, loadMs: loadedMs - startMs, openMs: t1 - t0, queryMs: t2 - t1, queries: out.map((q) => ({ name: q.name, ms: q.ms, n: q.rows.length })), results: Object.fromEntries(out.map((q) => [q.name, q.rows])) })}\n`,
    );
  }
}
