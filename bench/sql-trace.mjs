// Loaded with `node --import`: times every better-sqlite3 statement execution of the process and, at exit,
// writes { statements: [{ sql, params, at, ms, rows }], exitAt } as JSON (at, exitAt: ms since the process started) to the file named by XYPZ_SQL_TRACE. Used by bench/report.mjs
// to see exactly which SQL `xypz report monthly` runs and how long each statement takes inside the CLI.
import Database from 'better-sqlite3';
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const out = process.env.XYPZ_SQL_TRACE;
const log = [];
// The built CLI opens SQLite with the binding copied to dist/native/ (a separately loaded addon with its own
// Statement class); patch that one and better-sqlite3's own.
const shipped = fileURLToPath(new URL('../dist/native/better_sqlite3.node', import.meta.url));
const prototypes = (existsSync(shipped) ? [undefined, shipped] : [undefined]).map((nativeBinding) => {
  const probe = new Database(':memory:', nativeBinding ? { nativeBinding } : {});
  const proto = Object.getPrototypeOf(probe.prepare('select 1'));
  probe.close();
  return proto;
});
for (const Statement of new Set(prototypes)) for (const method of ['all', 'get', 'run', 'iterate']) {
  const orig = Statement[method];
  Statement[method] = function (...params) {
    const at = performance.now();
    let r = orig.apply(this, params);
    if (method === 'iterate') r = [...r]; // drained here so the time covers the whole query
    const ms = performance.now() - at;
    log.push({ sql: this.source, params: params.flat(), at, ms, rows: Array.isArray(r) ? r.length : r === undefined ? 0 : 1 });
    return method === 'iterate' ? r[Symbol.iterator]() : r;
  };
}
process.on('exit', () => {
  if (out) writeFileSync(out, JSON.stringify({ statements: log, exitAt: performance.now() }));
});
