/** The collection tests' shared steps: the scenario database, making workbooks, filling them as a unit would. */
import ExcelJS from 'exceljs';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import pg from 'pg';
import { adminUrl, cloneServerDatabase, databaseUrl } from './engines.js';
import { copiedSandbox, ok, runIn, type RunOptions, type Sandbox } from './helpers.js';
import * as S from './fixtures/collect-scenario.mjs';
import { scratchRoot } from './run-cli.js';
import { closeServerConnections } from './server-connections.js';

export { S };

/**
 * A sandbox holding the scenario's database (test/fixtures/collect-scenario.mjs): a copy of the run's SQLite
 * fixture, built once (test/fixtures-setup.ts), or on a server a clone of this worker's scenario database.
 */
export function scenario(): Promise<Sandbox> {
  return copiedSandbox('collect', cloneServerScenario);
}

/**
 * On a server: this worker's scenario database, built once by the scenario's commands on a copy of the init
 * template (cloneServerDatabase waits until the run's template is built), and then the template of each
 * scenario(). Its connections are closed once it is built: a database that is cloned must be unused.
 */
let serverScenario: Promise<{ admin: pg.Client; template: string }> | undefined;
/** The next scenario() database, cloned while the current test runs. */
let spare: Promise<string> | undefined;
/** The admin connection runs one statement at a time: each clone waits for the one before. */
let turn: Promise<unknown> = Promise.resolve();
let clones = 0;

function serverScenarioTemplate(): Promise<{ admin: pg.Client; template: string }> {
  serverScenario ??= (async () => {
    const url = await cloneServerDatabase('init');
    const dir = mkdtempSync(join(scratchRoot(tmpdir()), 'xypz-scenario-'));
    try {
      await S.buildScenario((args, today) => runIn(dir, args, { today, env: { XYPZ_DB: url } }), dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const template = new URL(url).pathname.slice(1);
    await closeServerConnections(template);
    const admin = new pg.Client({ connectionString: adminUrl() });
    admin.on('error', () => {});
    await admin.connect();
    return { admin, template };
  })();
  return serverScenario;
}

async function cloneServerScenario(): Promise<string> {
  const { admin, template } = await serverScenarioTemplate();
  const clone = () => {
    const name = `xypz_t_${process.pid}_s${++clones}_${randomBytes(3).toString('hex')}`;
    const made = turn.then(() => admin.query(`create database ${name} template ${template} strategy file_copy`)).then(() => name);
    turn = made.catch(() => undefined);
    return made;
  };
  const next = spare ?? clone();
  spare = clone();
  spare.catch(() => {}); // awaited (and reported) by the scenario() that takes it
  return databaseUrl(await next);
}

export { ok };

/** `collect make` into <sandbox>/made-<n>; the path of each unit's workbook. */
let makes = 0;
export async function make(sb: Sandbox, month = S.MONTH, extra: string[] = [], opts?: RunOptions): Promise<Record<string, string>> {
  const out = sb.path(`made-${++makes}`);
  const r = await ok(sb, ['collect', 'make', '--month', month, '--out', out, '--json', ...extra], opts);
  return Object.fromEntries(r.json().workbooks.map((w: { unit: string; file: string }) => [w.unit, w.file]));
}

/** A copy of a workbook edited as a unit would (in <sandbox>/returned-<n>/ under the same name unless `name`). */
let fills = 0;
export async function fill(sb: Sandbox, src: string, edit: (wb: ExcelJS.Workbook) => void, name = basename(src)): Promise<string> {
  const dir = sb.path(`returned-${++fills}`);
  mkdirSync(dir, { recursive: true });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(src);
  edit(wb);
  const dest = join(dir, name);
  await wb.xlsx.writeFile(dest);
  return dest;
}

/** A copy under another file name. */
export function renamed(sb: Sandbox, src: string, name: string): string {
  const dir = sb.path(`renamed-${++fills}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(src, join(dir, name));
  return join(dir, name);
}

export type Loan = [code: string, kind: string, amount: number | string, date: string | Date | number, rate?: number | string | null, term?: number | null, guarantee?: string | null, first?: string | null, note?: string | null];

/** Writes loan rows into 授信放款 from its first data row (row 4). */
export function loans(wb: ExcelJS.Workbook, rows: Loan[], sheet = '授信放款'): void {
  const ws = wb.getWorksheet(sheet)!;
  rows.forEach((r, i) => {
    const row = ws.getRow(4 + i);
    const [code, kind, amount, date, rate, term, guarantee, first, note] = r;
    row.getCell(1).value = code;
    row.getCell(3).value = kind;
    row.getCell(4).value = amount;
    row.getCell(5).value = date;
    row.getCell(6).value = rate ?? null;
    row.getCell(7).value = term ?? null;
    row.getCell(8).value = guarantee ?? null;
    row.getCell(9).value = first ?? null;
    row.getCell(10).value = note ?? null;
  });
}

/** Sets 办理情况 / 办结日期 / 说明 of the 辅导事项 row holding item `id`. */
export function progress(wb: ExcelJS.Workbook, id: number, state: string, date?: string | Date | null, note?: string | null): void {
  const ws = wb.getWorksheet('辅导事项')!;
  let found = false;
  ws.eachRow((row) => {
    if (row.getCell(1).value !== id) return;
    row.getCell(7).value = state;
    row.getCell(8).value = date ?? null;
    row.getCell(9).value = note ?? null;
    found = true;
  });
  if (!found) throw new Error(`no row for item ${id}`);
}

export function feedback(wb: ExcelJS.Workbook, text: string): void {
  wb.getWorksheet('月度反馈')!.getCell('A4').value = text;
}

/** The row of a sheet whose column-B value is `code` (主办企业: the firm's row). */
export function rowOf(ws: ExcelJS.Worksheet, col: number, value: string | number): ExcelJS.Row {
  let found: ExcelJS.Row | undefined;
  ws.eachRow((row) => {
    if (row.getCell(col).value === value) found = row;
  });
  if (!found) throw new Error(`no row with ${value}`);
  return found;
}
