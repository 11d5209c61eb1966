/**
 * Published and revised figures (docs/figures.md): a final period's report reads the records as recorded by its
 * cut-off, stays the same after later entries, and lists each later correction with the figures it moves.
 * Every step is entered with the clock at its own date (XYPZ_TODAY), as the records would have been made.
 *
 * 华容区, 经信, lead bank 工行; amounts in 万元:
 *   A  rec 01-10  decl 01-20  verified 融资 02-05  confirmed 02-20  工行 02-25  放款 60.50 (首贷) 03-20
 *   feedback 华容区 for 2024-03 on 04-05 (none for 2024-02)
 *   2024-03 and 2024Q1 are final from 04-11 (cut-off 04-10): published then.
 *   04-15  放款 10.00 dated 04-15 (April, an ordinary entry)
 *   05-06  corrections by the 人民银行: #1 a rating 满意 dated 03-28 (no monthly or quarterly figure reads ratings);
 *          #2 华容区's feedback for 2024-02, received on paper 03-05
 *   05-07  #3 a coaching item added 02-26 (due 02-29), #4 closed 02-28; #5 放款 20.00 dated 03-25 (纸质报送表漏录)
 * By hand, each correction's effect is the figures through its stamp minus those through the one before:
 *   2024-02: #2 月度反馈 未报送 → 已报送, 已报送月数 0 → 1 (华容区, 合计's months); #3 新增 0 → 1, 未办结 0 → 1;
 *            #4 办结 0 → 1, 未办结 1 → 0 (华容区 and 合计; 办结 also 工行 and 金融机构合计).
 *   2024-03: #1, #2 nothing (the report stays byte-identical); #3 未办结 0 → 1 and 逾期 0 → 1 (open at 03-31, due
 *            02-29); #4 both 1 → 0; #5 放款金额 and its 本年累计 60.50 → 80.50 (华容区, 合计, 工行 and 金融机构合计);
 *            放款户数 and 首贷 unchanged.
 *   2024Q1: #2, #3, #4, #5.  April (preliminary on 05-08): 放款 10.00, 本年累计 90.50.
 */
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseAt, code, HR, ICBC } from './cases.js';
import { initialised, type Sandbox } from './helpers.js';
import { zipText } from './zip.js';

const A = code(1);
let sb: Sandbox;

const at = async (today: string, args: string[]) => {
  const r = await sb.run(args, { today });
  if (r.code !== 0) throw new Error(`${args.join(' ')} (${today}) → ${r.code}: ${r.stderr}`);
  return r;
};
const report = (today: string, kind: string, period: string, extra: string[] = []) => at(today, ['report', kind, '--period', period, ...extra]);
const reportJson = async (today: string, kind: string, period: string, extra: string[] = []) => (await report(today, kind, period, [...extra, '--json'])).json();

/** Every published output of a report: the bytes of each file (CSV, HTML, Markdown, workbook, document), terminal and JSON text. */
async function outputs(today: string, kind: string, period: string, tag: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  out.terminal = (await report(today, kind, period)).stdout;
  out.json = (await report(today, kind, period, ['--json'])).stdout;
  const exts = kind === 'monthly' ? ['.csv', '.html', '.xlsx'] : ['.csv', '.html', '.xlsx', '.docx', '.md'];
  for (const ext of exts) {
    const file = sb.path(`${tag}-${kind}-${period}${ext}`);
    await report(today, kind, period, ['--out', file]);
    out[ext] = readFileSync(file).toString('base64');
  }
  return out;
}

let published: Record<string, unknown>;
let publishedQ1: Record<string, unknown>;
let coachingId: number;
const publishedJson = () => JSON.parse(published.json as string);

beforeAll(async () => {
  sb = await initialised();
  await caseAt(sb, 'assigned', A, { dept: '经信', on: { recommended: '2024-01-10', declared: '2024-01-20', verified: '2024-02-05', confirmed: '2024-02-20', assigned: '2024-02-25' } });
  await at('2024-03-20', ['loan', A, '--kind', 'disbursement', '--amount', '60.50', '--first-loan', '--date', '2024-03-20']);
  await at('2024-04-05', ['feedback', 'add', '--from', HR, '--month', '2024-03', '--text', '三月工作情况']);
  published = await outputs('2024-04-11', 'monthly', '2024-03', 'published');
  publishedQ1 = await outputs('2024-04-11', 'quarterly', '2024Q1', 'published');
  await at('2024-04-15', ['loan', A, '--kind', 'disbursement', '--amount', '10', '--date', '2024-04-15']);
}, 600_000);
afterAll(() => sb.cleanup());

const loanFigures = (doc: { districts: { district: string; loan_amount: number; loan_amount_ytd: number }[] }) => {
  const hr = doc.districts.find((d) => d.district === HR)!;
  return [hr.loan_amount, hr.loan_amount_ytd];
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

type Change = { table: string; row: string; figure: string; from: unknown; to: unknown };
const moves = (r: { changes: Change[] }) => r.changes.map((c) => [c.table, c.row, c.figure, c.from, c.to]);

describe('corrections', () => {
  beforeAll(async () => {
    await at('2024-05-06', ['satisfaction', A, '--rating', '满意', '--date', '2024-03-28', '--correction', '问卷补录']);
    await at('2024-05-06', ['feedback', 'add', '--from', HR, '--month', '2024-02', '--text', '二月工作情况', '--date', '2024-03-05', '--correction', '纸质反馈 3 月 5 日已收到']);
  }, 300_000);

  it('a correction that does not move a period leaves its report byte-identical', async () => {
    expect(await outputs('2024-05-06', 'monthly', '2024-03', 'zero-effect')).toEqual(published);
  });

  it('a correction that moves a period is listed with what it moves; the figures stay as published', async () => {
    const doc = await reportJson('2024-05-06', 'monthly', '2024-02');
    expect(doc.districts.find((d: { district: string }) => d.district === HR).feedback).toBe(false);
    expect(doc.revisions).toHaveLength(1);
    expect(doc.revisions[0]).toMatchObject({ reason: '纸质反馈 3 月 5 日已收到', actor: 'tester' });
    expect(moves(doc.revisions[0])).toEqual([
      ['districts', HR, 'feedback', false, true],
      ['districts', HR, 'feedback_months', 0, 1],
      ['total', '合计', 'feedback_months', 0, 1],
    ]);
    const revised = await reportJson('2024-05-06', 'monthly', '2024-02', ['--revised']);
    expect(revised.revised).toBe(true);
    expect(revised.districts.find((d: { district: string }) => d.district === HR).feedback).toBe(true);
  });

  describe('more corrections: a coaching item of February and a loan of March', () => {
    beforeAll(async () => {
      await at('2024-05-07', ['coach', 'add', A, '--item', '补办环评手续', '--org', '华容区财政局', '--due', '2024-02-29', '--date', '2024-02-26', '--correction', '二月辅导台账漏录']);
      coachingId = (await at('2024-05-07', ['coach', 'list', '--json'])).json()[0].id;
      await at('2024-05-07', ['coach', 'done', String(coachingId), '--date', '2024-02-28', '--correction', '二月辅导台账漏录']);
      await at('2024-05-07', ['loan', A, '--kind', 'disbursement', '--amount', '20', '--date', '2024-03-25', '--correction', '纸质报送表漏录']);
    }, 300_000);

    it('the published figures stay as they were; the report notes the corrections', async () => {
      const { revisions, ...rest } = await reportJson('2024-05-08', 'monthly', '2024-03');
      const { revisions: none, ...before } = publishedJson();
      expect(none).toEqual([]);
      expect(rest).toEqual(before);
      expect(revisions).toHaveLength(3);
      const text = (await report('2024-05-08', 'monthly', '2024-03')).stdout;
      expect(text).toBe(`${published.terminal as string}本期有 3 项更正（--revised 查看）\n`);
    });

    it('--revised gives the corrected figures and, for each correction, each figure it moves, from → to', async () => {
      const doc = await reportJson('2024-05-08', 'monthly', '2024-03', ['--revised']);
      expect(loanFigures(doc)).toEqual([80.5, 80.5]);
      expect(doc.final).toBe(true);
      expect(doc.revisions.map((r: { reason: string; actor: string; recorded_at: string }) => [r.reason, r.actor, r.recorded_at.slice(0, 10)])).toEqual([
        ['二月辅导台账漏录', 'tester', '2024-05-07'],
        ['二月辅导台账漏录', 'tester', '2024-05-07'],
        ['纸质报送表漏录', 'tester', '2024-05-07'],
      ]);
      const [added, done, loan] = doc.revisions;
      expect(moves(added)).toEqual([
        ['districts', HR, 'coaching_open', 0, 1],
        ['districts', HR, 'coaching_overdue', 0, 1],
        ['total', '合计', 'coaching_open', 0, 1],
        ['total', '合计', 'coaching_overdue', 0, 1],
      ]);
      expect(moves(done)).toEqual([
        ['districts', HR, 'coaching_open', 1, 0],
        ['districts', HR, 'coaching_overdue', 1, 0],
        ['total', '合计', 'coaching_open', 1, 0],
        ['total', '合计', 'coaching_overdue', 1, 0],
      ]);
      expect(moves(loan)).toEqual([
        ['districts', HR, 'loan_amount', 60.5, 80.5],
        ['districts', HR, 'loan_amount_ytd', 60.5, 80.5],
        ['total', '合计', 'loan_amount', 60.5, 80.5],
        ['total', '合计', 'loan_amount_ytd', 60.5, 80.5],
        ['banks', ICBC, 'loan_amount', 60.5, 80.5],
        ['banks', ICBC, 'loan_amount_ytd', 60.5, 80.5],
        ['banks_total', '合计', 'loan_amount', 60.5, 80.5],
        ['banks_total', '合计', 'loan_amount_ytd', 60.5, 80.5],
      ]);
      const text = (await report('2024-05-08', 'monthly', '2024-03', ['--revised'])).stdout;
      expect(text).toContain('本表为修订数：含 3 项更正，见修订说明');
      expect(text).toContain('纸质报送表漏录');
      expect(text).toContain(`   分区域·${HR}·放款金额（本期，万元）：60.50 → 80.50\n`);
      expect(text).toContain(`   分区域·${HR}·放款金额（本年累计，万元）：60.50 → 80.50\n`);
    });

    it('February: the feedback, then the item added, then closed', async () => {
      const doc = await reportJson('2024-05-08', 'monthly', '2024-02');
      expect(doc.revisions).toHaveLength(3);
      expect(moves(doc.revisions[1])).toEqual([
        ['districts', HR, 'coaching_added', 0, 1],
        ['districts', HR, 'coaching_open', 0, 1],
        ['total', '合计', 'coaching_added', 0, 1],
        ['total', '合计', 'coaching_open', 0, 1],
      ]);
      expect(moves(doc.revisions[2])).toEqual([
        ['districts', HR, 'coaching_done', 0, 1],
        ['districts', HR, 'coaching_open', 1, 0],
        ['total', '合计', 'coaching_done', 0, 1],
        ['total', '合计', 'coaching_open', 1, 0],
        ['banks_other', '其他单位承办', 'coaching_done', 0, 1],
        ['banks_total', '合计', 'coaching_done', 0, 1],
      ]);
    });

    it('the quarter lists four corrections; its documents carry the note, revised ones the table', async () => {
      const q = await reportJson('2024-05-08', 'quarterly', '2024Q1');
      expect(q.revisions.map((r: { reason: string }) => r.reason)).toEqual(['纸质反馈 3 月 5 日已收到', '二月辅导台账漏录', '二月辅导台账漏录', '纸质报送表漏录']);
      const xlsx = sb.path('q1.xlsx');
      const html = sb.path('q1.html');
      const docx = sb.path('q1.docx');
      for (const f of [xlsx, html, docx]) await report('2024-05-08', 'quarterly', '2024Q1', ['--out', f]);
      expect(readFileSync(html, 'utf8')).toContain('本期有 4 项更正（--revised 查看）');
      expect(zipText(docx, 'word/document.xml')).toContain('本期有 4 项更正（--revised 查看）');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(xlsx);
      expect(wb.worksheets.map((w) => w.name)).not.toContain('修订说明');
      for (const f of [xlsx, html, docx]) await report('2024-05-08', 'quarterly', '2024Q1', ['--revised', '--out', f]);
      const rb = new ExcelJS.Workbook();
      await rb.xlsx.readFile(xlsx);
      const cells: string[] = [];
      rb.getWorksheet('修订说明')!.eachRow((row) => row.eachCell((c) => cells.push(String(c.value))));
      expect(cells.join('|')).toContain('纸质报送表漏录');
      expect(cells.join('|')).toContain(`分区域·${HR}·放款金额（本期，万元）：60.50 → 80.50`);
      expect(readFileSync(html, 'utf8')).toContain('修订说明');
      expect(zipText(docx, 'word/document.xml')).toContain('纸质报送表漏录');
    });

    it('a preliminary report reads the new data as it is', async () => {
      const april = await reportJson('2024-05-08', 'monthly', '2024-04');
      expect(april.final).toBe(false);
      expect(april.revisions).toEqual([]);
      expect(loanFigures(april)).toEqual([10, 90.5]);
    });
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
