/**
 * Returns of the same unit and month imported at the same moment, each by its own process, as two clerks
 * (or one clerk twice) would: whatever the interleaving, one current return remains, its loans counted once,
 * and importing the same file again changes nothing. The earlier returns a new one replaces are read inside
 * the write transaction that replaces them; read before it, both imports trusted an empty month.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fill, loans, make, S, scenario } from './collect-helpers.js';
import { ok, type Sandbox } from './helpers.js';

/**
 * The CLI with the test seams (test/seamed-xypz.mjs): XYPZ_TEST_WRITE_BARRIER lets no process begin to write
 * before all have parsed their file, XYPZ_TEST_HOLD_WRITE_MS holds each write open.
 */
const BIN = join(process.cwd(), 'test', 'seamed-xypz.mjs');
const { CODES, ICBC, MONTH } = S;
let sb: Sandbox;
afterEach(() => sb?.cleanup());

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `collect import` of each file, each by its own process started at once; resolves when all have exited. */
function importers(files: string[]): Promise<Outcome[]> {
  const gate = mkdtempSync(sb.path('gate-'));
  return Promise.all(files.map((file) => importer(file, gate, files.length)));
}

function importer(file: string, gate: string, together: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, '--json', 'collect', 'import', file], {
      cwd: sb.dir,
      // No process begins its write before every one has parsed its file (and read the month's returns, if it
      // reads them outside the transaction); then each write holds its transaction open a while before it
      // commits, in which writers that were not serialised would interleave.
      env: {
        ...process.env,
        ...sb.env,
        XYPZ_ACTOR: 'tester',
        XYPZ_TODAY: S.RECEIVED,
        NO_COLOR: '1',
        XYPZ_TEST_WRITE_BARRIER: gate,
        XYPZ_TEST_WRITE_BARRIER_N: String(together),
        XYPZ_TEST_HOLD_WRITE_MS: '100',
      },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

/** Version `v` of 工行's return: a 授信 to A of 500 + v and a 放款 to B of 80 (the same in every version). */
async function version(books: Record<string, string>, v: number): Promise<{ file: string; sha: string; loans: string[] }> {
  const file = await fill(sb, books[ICBC]!, (wb) =>
    loans(wb, [
      [CODES.A, '授信', 500 + v, '2024-05-10', 3.95, 12, '信用'],
      [CODES.B, '放款', 80, '2024-05-20', 4.2, 6, '保证'],
    ]),
  );
  return { file, sha: sha(file), loans: [`${CODES.A} credit ${(500 + v) * 100} 2024-05-10`, `${CODES.B} disbursement 8000 2024-05-20`] };
}

/** 工行's returns for the month, oldest first, and the loans its returns brought in that still count. */
async function month(): Promise<{ returns: { id: number; sha256: string; rows: number }[]; loans: string[] }> {
  const returns = await sb.sql<{ id: number; sha256: string; rows: number }>(
    'select r.id, r.sha256, r.rows from collection_return r join org o on o.id = r.org_id where o.name = ? and r.month = ? order by r.id',
    [ICBC, MONTH],
  );
  const rows = await sb.sql<{ code: string; kind: string; cents: number; on: string }>(
    'select c.enterprise_code as code, l.kind, l.amount_cents as cents, l.loan_on as "on" from loan l join case_file c on c.id = l.case_id where l.collection_id is not null order by 1, 2, 3, 4',
  );
  return { returns: returns.map((r) => ({ ...r, id: Number(r.id), rows: Number(r.rows) })), loans: rows.map((l) => `${l.code} ${l.kind} ${Number(l.cents)} ${l.on}`) };
}

/** Every import succeeded, one current return remains (the latest), and the loans counted are its own, once. */
async function oneCurrentReturn(outcomes: Outcome[], versions: { sha: string; loans: string[] }[]): Promise<void> {
  for (const o of outcomes) expect(o.code, o.stderr).toBe(0);
  const m = await month();
  const latest = m.returns.at(-1)!;
  const current = versions.find((v) => v.sha === latest.sha256)!;
  expect(current, 'the latest return is one of the files imported').toBeDefined();
  expect(m.loans).toEqual([...current.loans].sort());
  expect(latest.rows).toBe(3); // two loans and the pre-filled coaching item (still in progress)
  // Each distinct file is one return; a file imported again while it is the latest is no new return.
  expect(m.returns.length).toBeLessThanOrEqual(outcomes.length);
  expect(new Set(m.returns.map((r) => r.sha256)).size).toBeLessThanOrEqual(new Set(versions.map((v) => v.sha)).size);
  // Importing the current file again changes nothing.
  const files = versions.filter((v) => v.sha === latest.sha256) as { file: string; sha: string; loans: string[] }[];
  const again = await ok(sb, ['collect', 'import', files[0]!.file, '--json'], { today: S.RECEIVED });
  expect(again.json()).toMatchObject({ added: 0, updated: 0, withdrawn: 0 });
  expect(await month()).toEqual(m);
  expect((await sb.run(['audit', 'verify', '--json'])).code).toBe(0);
}

// Only 工行's workbook is imported here: the month's other units' workbooks are not made (about 0.2 s of CPU each
// time on SQLite).
describe.each([2, 8])('%i imports of 工行’s return for the month at once', (n) => {
  it('different versions: one current return, its loans counted once', async () => {
    sb = await scenario();
    const books = await make(sb, MONTH, ['--unit', ICBC]);
    const versions = await Promise.all(Array.from({ length: n }, (_, v) => version(books, v)));
    const outcomes = await importers(versions.map((v) => v.file));
    await oneCurrentReturn(outcomes, versions);
  }, 180_000);

  it('the same file: one return, its loans counted once', async () => {
    sb = await scenario();
    const books = await make(sb, MONTH, ['--unit', ICBC]);
    const v = await version(books, 0);
    const outcomes = await importers(Array.from({ length: n }, () => v.file));
    await oneCurrentReturn(outcomes, [v]);
    expect((await month()).returns).toHaveLength(1);
  }, 180_000);
});
