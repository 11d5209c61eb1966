/**
 * Published and revised figures (docs/figures.md): a final period's report reads the records as recorded by its
 * cut-off, stays the same after later entries, and lists each later correction with the figures it moves.
 * Every step is entered with the clock at its own date (XYPZ_TODAY), as the records would have been made.
 *
 * 华容区, 经信, lead bank 工行; amounts in 万元:
 *   A  rec 01-10  decl 01-20  verified 融资 02-05  confirmed 02-20  工行 02-25  放款 60.50 (首贷) 03-20
 *   feedback 华容区 for 2024-03 on 04-05
 *   2024-03 is final from 04-11 (cut-off 04-10): published then.
 *   04-15  放款 10.00 dated 04-15 (April, an ordinary entry)
 *   05-06  corrections by the 人民银行: a coaching item dated 02-10 (added), closed 02-15: both in February
 *   05-07  correction: 放款 20.00 dated 03-25 (纸质报送表漏录)
 * By hand: March published 60.50; March revised 80.50 (华容区, 合计, 工行, 金融机构合计: 放款金额 and 累计放款金额
 * of 华容区 and 合计 60.50 → 80.50; 放款户数 and 首贷 unchanged). February: the item moves 新增 0 → 1 and 未办结
 * 0 → 1 (first correction), then 办结 0 → 1 and 未办结 1 → 0 (second). 2024Q1 has all three. April (preliminary
 * on 05-08): 放款 10.00, 累计 90.50.
 */
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { code, declare, HR, ICBC, recommend, VERIFY } from './cases.js';
import { initialised, type Sandbox } from './helpers.js';
import { zipNames, zipText } from './zip.js';

const A = code(1);
let sb: Sandbox;

const at = async (today: string, args: string[]) => {
  const r = await sb.run(args, { today });
  if (r.code !== 0) throw new Error(`${args.join(' ')} (${today}) → ${r.code}: ${r.stderr}`);
  return r;
};
const report = (today: string, kind: string, period: string, extra: string[] = []) => at(today, ['report', kind, '--period', period, ...extra]);
const reportJson = async (today: string, kind: string, period: string, extra: string[] = []) => (await report(today, kind, period, [...extra, '--json'])).json();

/**
 * A workbook or Word document as the text of its parts, without docProps/core.xml: the libraries that write
 * them stamp that part (and the zip's entries) with the wall-clock time of writing, which is not the report's.
 */
const parts = (file: string) => Object.fromEntries(zipNames(file).filter((n) => n !== 'docProps/core.xml').map((n) => [n, zipText(file, n)]));

/** Every published output of a report: bytes (CSV, HTML, Markdown), the parts of a workbook or document, terminal and JSON text. */
async function outputs(today: string, kind: string, period: string, tag: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  out.terminal = (await report(today, kind, period)).stdout;
  out.json = (await report(today, kind, period, ['--json'])).stdout;
  const exts = kind === 'monthly' ? ['.csv', '.html', '.xlsx'] : ['.csv', '.html', '.xlsx', '.docx', '.md'];
  for (const ext of exts) {
    const file = sb.path(`${tag}-${kind}-${period}${ext}`);
    await report(today, kind, period, ['--out', file]);
    out[ext] = ext === '.xlsx' || ext === '.docx' ? parts(file) : readFileSync(file).toString('base64');
  }
  return out;
}

let published: Record<string, unknown>;
let publishedQ1: Record<string, unknown>;
const publishedJson = () => JSON.parse(published.json as string);

beforeAll(async () => {
  sb = await initialised();
  await recommend(sb, A, { date: '2024-01-10', dept: '经信', run: { today: '2024-01-10' } });
  await declare(sb, A, { date: '2024-01-20', run: { today: '2024-01-20' } });
  await at('2024-02-05', ['verify', A, '--class', 'financing', ...VERIFY, '--date', '2024-02-05']);
  await at('2024-02-20', ['pool', 'confirm', '--district', HR, '--meeting', '2024-02-20', A]);
  await at('2024-02-25', ['assign', A, '--bank', '工行', '--date', '2024-02-25']);
  await at('2024-03-20', ['loan', A, '--kind', 'disbursement', '--amount', '60.50', '--first-loan', '--date', '2024-03-20']);
  await at('2024-04-05', ['feedback', 'add', '--from', HR, '--month', '2024-03', '--text', '三月工作情况']);
  published = await outputs('2024-04-11', 'monthly', '2024-03', 'published');
  publishedQ1 = await outputs('2024-04-11', 'quarterly', '2024Q1', 'published');
  await at('2024-04-15', ['loan', A, '--kind', 'disbursement', '--amount', '10', '--date', '2024-04-15']);
}, 600_000);
afterAll(() => sb.cleanup());

const loanFigures = (doc: { districts: { district: string; loan_amount: number; loan_amount_total: number }[] }) => {
  const hr = doc.districts.find((d) => d.district === HR)!;
  return [hr.loan_amount, hr.loan_amount_total];
};

describe('a published report', () => {
  it('reads 60.50 for March, final, without revisions', async () => {
    const doc = publishedJson();
    expect(doc.final).toBe(true);
    expect(doc.revisions).toEqual([]);
    expect(loanFigures(doc)).toEqual([60.5, 60.5]);
  });

  it('is dated its publication day, not the day it is made', async () => {
    const file = sb.path('dated.xlsx');
    await report('2024-04-20', 'monthly', '2024-03', ['--out', file]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const lines: string[] = [];
    wb.worksheets.at(-1)!.eachRow((row) => lines.push(String(row.getCell(2).value ?? '')));
    expect(lines).toContain('2024-04-11');
    expect(lines.join('\n')).not.toContain('2024-04-20');
  });

  it('stays byte-identical after a later ordinary entry, in every format', async () => {
    expect(await outputs('2024-04-20', 'monthly', '2024-03', 'later')).toEqual(published);
    expect(await outputs('2024-04-20', 'quarterly', '2024Q1', 'later')).toEqual(publishedQ1);
  });

  it('a preliminary report reads the records as they are', async () => {
    const april = await reportJson('2024-04-20', 'monthly', '2024-04');
    expect(april.final).toBe(false);
    expect(april.revisions).toEqual([]);
    expect(loanFigures(april)).toEqual([10, 70.5]);
  });

  it('has no report before its period begins (exit 2)', async () => {
    const r = await sb.run(['report', 'monthly', '--period', '2024-06'], { today: '2024-05-08' });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('错误：2024年6月尚未开始（2024-06-01 起），没有报表；请指定已开始的期间\n');
    expect((await sb.run(['report', 'annual', '--period', '2025', '--json'], { today: '2024-05-08' })).code).toBe(2);
  });
});

describe('the 督办清单', () => {
  it('lists no month as 未报送 before its cut-off has passed', async () => {
    const before = await at('2024-05-10', ['report', 'overdue', '--month', '2024-04', '--json']);
    expect(before.json().feedback).toEqual([]);
    expect((await at('2024-05-10', ['report', 'overdue', '--month', '2024-04'])).stdout).toContain('四、2024-04 月度反馈未报送：报送截止日 2024-05-10 未过，暂不列出');
    const after = (await at('2024-05-11', ['report', 'overdue', '--month', '2024-04', '--json'])).json();
    expect(after.feedback.map((f: { name: string }) => f.name)).toContain(HR);
    expect(after.feedback.map((f: { name: string }) => f.name)).toContain(ICBC);
  });
});
