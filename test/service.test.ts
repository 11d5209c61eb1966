/** In service through the CLI: the district list, lead banks, loans, coaching, closing, the ledger and the demo. */
import ExcelJS from 'exceljs';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { invokedAs } from '../src/commands/demo.js';
import { caseAt, code, DECL_HEADER, declRow, HR, ICBC, nameOf, onItsDay, show as showCase, VERIFY } from './cases.js';
import { ENGINE, fileQuery } from './engines.js';
import { initialised, sandbox, type RunOptions, type Sandbox } from './helpers.js';
import { USER_HEADER, userRow, writeXlsx } from './sheets.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

/** Recommends (2024-03-01), declares (2024-03-05) and verifies the codes on `dates[i]`, else 2024-04-01. */
const verified = (codes: string[], cls: 'financing' | 'cultivation' = 'financing', district = HR, dates: string[] = []) =>
  caseAt(sb, 'verified', codes, { class: cls, district, on: { verified: dates } });
const confirm = (codes: string[], district = HR, opts?: RunOptions) => sb.run(['pool', 'confirm', '--district', district, '--meeting', '2024-06-15', ...codes], opts);
/** Verified (2024-04-01), confirmed (2024-04-15) and assigned to 工行 (2024-04-20). */
const assigned = (c: string, cls: 'financing' | 'cultivation' = 'financing') => caseAt(sb, 'assigned', c, { class: cls });
const show = (c: string) => showCase(sb, c);
async function pool(district = HR) {
  const r = await sb.run(['pool', 'show', '--district', district, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return r.json();
}
const activeCodes = async () => (await pool()).active.map((a: { code: string }) => a.code);
const loan = (c: string, kind: string, amount: string, extra: string[] = []) => sb.run(['loan', c, '--kind', kind, '--amount', amount, ...extra]);
const kinds = (d: { history: { kind: string }[] }) => d.history.map((h) => h.kind);

describe('pool confirm and pool show', () => {
  it('shows the contract shape; candidates in verified order', async () => {
    sb = await initialised();
    const [a, b, c] = [code(1), code(2), code(3)];
    await verified([a, b, c], 'financing', HR, ['2024-05-03', '2024-05-01', '2024-05-02']);
    const p = await pool();
    expect(Object.keys(p)).toEqual(expect.arrayContaining(['district', 'capacity', 'active', 'vacancies', 'candidates']));
    expect(p).toMatchObject({ district: HR, capacity: 10, active: [], vacancies: 10 });
    expect(p.candidates).toEqual([
      { code: b, name: nameOf(b), class: 'financing', verified_on: '2024-05-01' },
      { code: c, name: nameOf(c), class: 'financing', verified_on: '2024-05-02' },
      { code: a, name: nameOf(a), class: 'financing', verified_on: '2024-05-03' },
    ]);
    const r = await confirm([a]);
    expect(r.code, r.stderr).toBe(0);
    const after = await pool();
    expect(after.active).toEqual([expect.objectContaining({ code: a, name: nameOf(a), stage: 'confirmed', class: 'financing', lead_bank: null })]);
    expect(after.vacancies).toBe(9);
    expect(after.candidates.map((x: { code: string }) => x.code)).toEqual([b, c]);
    const all = await sb.run(['pool', 'show', '--json']);
    expect(all.code).toBe(0);
    const list = all.json();
    expect(Array.isArray(list)).toBe(true);
    expect(list.map((x: { district: string }) => x.district)).toEqual(expect.arrayContaining([HR, '鄂城区', '梁子湖区']));
    expect(list.find((x: { district: string }) => x.district === HR).active).toHaveLength(1);
    expect(list.find((x: { district: string }) => x.district === '鄂城区')).toMatchObject({ capacity: 10, active: [], vacancies: 10 });
  });

  it('refuses more than the vacancies, all or nothing, naming the vacancies (small capacity)', async () => {
    sb = await initialised();
    expect((await sb.run(['pool', 'capacity', '2', '--district', HR])).code).toBe(0);
    const codes = [code(1), code(2), code(3)];
    await verified(codes);
    const r = await confirm(codes);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('空缺 2 个');
    expect(await activeCodes()).toEqual([]);
    expect((await confirm(codes.slice(0, 2))).code).toBe(0);
    const full = await confirm([codes[2]!]);
    expect(full.code).toBe(4);
    expect(full.stderr).toContain('空缺 0 个');
    expect((await pool()).vacancies).toBe(0);
    expect((await show(codes[2]!)).stage).toBe('verified');
  });

  it('refuses more than the default capacity of 10', async () => {
    sb = await initialised();
    const codes = Array.from({ length: 11 }, (_, i) => code(i + 1));
    await verified(codes);
    const r = await confirm(codes);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('空缺 10 个');
    expect(await activeCodes()).toEqual([]);
    expect((await confirm(codes.slice(0, 10))).code).toBe(0);
    expect((await pool()).vacancies).toBe(0);
    expect((await confirm([codes[10]!])).code).toBe(4);
  });

  it('refuses an unverified case or one of another district, confirming nothing', async () => {
    sb = await initialised();
    const [ok, other] = [code(1), code(2)];
    await verified([ok]);
    await verified([other], 'financing', '鄂城区');
    const late = code(3);
    expect((await sb.run(['recommend', '--code', late, '--name', nameOf(late), '--district', HR, '--dept', '商务'])).code).toBe(0);
    const notVerified = await confirm([ok, late]);
    expect(notVerified.code).toBe(4);
    expect(notVerified.stderr).toContain('已推荐');
    const foreign = await confirm([ok, other]);
    expect(foreign.code).toBe(4);
    expect(foreign.stderr).toContain('鄂城区');
    expect(await activeCodes()).toEqual([]);
    expect((await show(ok)).stage).toBe('verified');
    expect((await pool('鄂城区')).active).toEqual([]);
  });
});

describe('assign', () => {
  it('is refused before confirmation, naming the stage and the next step', async () => {
    sb = await initialised();
    await verified([code(1)]);
    const r = await sb.run(['assign', code(1), '--bank', '工行']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('已核查');
    expect(r.stderr).toContain('xypz pool confirm');
    expect((await show(code(1))).lead_bank).toBeNull();
  });

  it('sets one lead bank by full name or alias; a change needs a reason and keeps history', async () => {
    sb = await initialised();
    await verified([code(1), code(2)]);
    expect((await confirm([code(1), code(2)])).code).toBe(0);
    const full = await sb.run(['assign', code(1), '--bank', '工商银行鄂州分行', '--date', '2024-06-15']);
    expect(full.code, full.stderr).toBe(0);
    expect((await sb.run(['assign', code(2), '--bank', '工行', '--mode', 'designated'])).code).toBe(0);
    expect(await show(code(2))).toMatchObject({ stage: 'assigned', lead_bank: ICBC });
    const noReason = await sb.run(['assign', code(1), '--bank', '农行']);
    expect(noReason.code).toBe(4);
    expect(noReason.stderr).toContain('--reason');
    expect((await show(code(1))).lead_bank).toBe(ICBC);
    expect((await sb.run(['assign', code(1), '--bank', '农行', '--reason', '额度紧张'])).code).toBe(0);
    const d = await show(code(1));
    expect(d.lead_bank).toBe('中国农业银行鄂州分行');
    expect(d.lead_banks).toHaveLength(2);
    expect(d.lead_banks[0]).toMatchObject({ bank: ICBC, to: '2024-06-15' });
    expect(d.lead_banks[1]).toMatchObject({ bank: '中国农业银行鄂州分行', to: null, reason: '额度紧张' });
    expect(kinds(d).slice(-2)).toEqual(['assigned', 'bank_changed']);
    const p = await pool();
    expect(p.active.find((a: { code: string }) => a.code === code(1)).lead_bank).toBe('中国农业银行鄂州分行');
  });
});

describe('loan', () => {
  it('needs a lead bank and a financing class', async () => {
    sb = await initialised();
    await verified([code(1)]);
    expect((await confirm([code(1)])).code).toBe(0);
    const noBank = await loan(code(1), 'credit', '100');
    expect(noBank.code).toBe(4);
    expect(noBank.stderr).toContain('xypz assign');
    await assigned(code(2), 'cultivation');
    const cult = await loan(code(2), 'credit', '100');
    expect(cult.code).toBe(4);
    expect(cult.stderr).toContain('reclassify');
    expect((await show(code(2))).loans).toEqual([]);
  });

  it('defaults to the lead bank; amounts are exact in every output', async () => {
    sb = await initialised();
    await assigned(code(1));
    expect((await loan(code(1), 'credit', '300', ['--rate', '3.95', '--term', '12', '--guarantee', '信用'])).code).toBe(0);
    for (const a of ['0.1', '0.2']) {
      const r = await loan(code(1), 'disbursement', a);
      expect(r.code, r.stderr).toBe(0);
    }
    let d = await show(code(1));
    expect(d.disbursement_total).toBe('0.30');
    expect(d.loans[0]).toMatchObject({ kind: 'credit', amount: '300.00', bank: ICBC, rate: '3.95', term_months: 12, guarantee: '信用' });
    for (const a of ['0.1', '0.2']) expect((await loan(code(1), 'disbursement', a)).code).toBe(0);
    d = await show(code(1));
    expect(d).toMatchObject({ credit_total: '300.00', disbursement_total: '0.60' });
    expect(d.loans.map((l: { amount: string }) => l.amount)).toEqual(['300.00', '0.10', '0.20', '0.10', '0.20']);
    const rows = (await sb.run(['ledger', '--district', HR, '--json'])).json();
    expect(rows.find((r: { code: string }) => r.code === code(1))).toMatchObject({ disbursement_total: '0.60', credit_total: '300.00' });
    const text = await sb.run(['ledger', code(1)]);
    expect(text.stdout).toContain('放款合计 0.60 万元');
    expect((await sb.run(['ledger', code(1), '--json'])).json().disbursement_total).toBe('0.60');
  });

  it('rejects invalid amounts (exit 3), writing nothing', async () => {
    sb = await initialised();
    await assigned(code(1));
    for (const a of ['abc', '1.234', '-5', '0']) {
      const r = await loan(code(1), 'credit', a);
      expect(r.code, `${a}: ${r.stderr}`).toBe(3);
    }
    expect((await show(code(1))).loans).toEqual([]);
  });
});

describe('coach', () => {
  const COACH_KEYS = ['id', 'code', 'item', 'org', 'category', 'due', 'status', 'closed_on'];
  const add = (c: string, item: string, org: string, extra: string[] = []) => sb.run(['coach', 'add', c, '--item', item, '--org', org, '--json', ...extra], onItsDay(extra));
  const list = async (extra: string[] = [], opts?: RunOptions) => {
    const r = await sb.run(['coach', 'list', '--json', ...extra], opts);
    expect(r.code, r.stderr).toBe(0);
    return r.json() as { id: number; status: string; item: string }[];
  };

  it('adds items for a department or the lead bank only; lists, filters, closes once', async () => {
    sb = await initialised();
    await assigned(code(1), 'cultivation');
    const r = await add(code(1), '补办环评手续', '华容区生态环境局', ['--category', '环保', '--due', '2024-07-31']);
    expect(r.code, r.stderr).toBe(0);
    const env = r.json();
    expect(Object.keys(env)).toEqual(expect.arrayContaining(COACH_KEYS));
    expect(env).toMatchObject({ code: code(1), item: '补办环评手续', org: '华容区生态环境局', category: '环保', due: '2024-07-31', status: 'open', closed_on: null });
    const late = (await add(code(1), '完善财务制度', '华容区财政', ['--due', '2024-06-01', '--date', '2024-05-20'])).json();
    const bank = (await add(code(1), '梳理授信材料', '工行')).json();
    expect(bank.org).toBe(ICBC);
    expect((await add(code(1), '代为担保', '农行')).code).toBe(3);
    expect((await add(code(1), '代为担保', '华容区金融办')).code).toBe(3);
    const all = await list();
    expect(all.map((i) => i.id)).toEqual([env.id, late.id, bank.id]);
    for (const i of all) expect(Object.keys(i)).toEqual(expect.arrayContaining(COACH_KEYS));
    expect((await list(['--overdue'])).map((i) => i.id)).toEqual([late.id]);
    expect((await list(['--org', '华容区生态环境局'])).map((i) => i.id)).toEqual([env.id]);
    expect((await sb.run(['coach', 'done', String(env.id)])).code).toBe(0);
    const noNote = await sb.run(['coach', 'fail', String(late.id)]);
    expect(noNote.code).toBe(2); // --note is required: asked for on a terminal, else a usage error
    expect(noNote.stderr).toContain('--note');
    expect((await sb.run(['coach', 'fail', String(late.id), '--note', '企业未提供材料'])).code).toBe(0);
    expect((await list(['--open'])).map((i) => i.id)).toEqual([bank.id]);
    expect(await list(['--overdue'])).toEqual([]);
    const after = await list();
    expect(after.map((i) => [i.status, (i as { closed_on?: string | null }).closed_on])).toEqual([['done', '2024-06-15'], ['failed', '2024-06-15'], ['open', null]]);
    const twice = await sb.run(['coach', 'done', String(env.id)]);
    expect(twice.code).toBe(4);
    expect((await sb.run(['coach', 'fail', String(late.id), '--note', 'x'])).code).toBe(4);
    expect((await sb.run(['coach', 'done', '999'])).code).toBe(5);
    expect(kinds(await show(code(1)))).toEqual(expect.arrayContaining(['coach_added', 'coach_done', 'coach_failed']));
  });

  it('a department operator closes the items forwarded to its department only', async () => {
    sb = await initialised();
    await writeXlsx(sb.path('staff.xlsx'), { S: [USER_HEADER, userRow(1, { login: 'hr_hb', org: '华容区生态环境局', kind: '政府部门', region: HR, role: '操作员' })] });
    expect((await sb.run(['users', 'import', sb.path('staff.xlsx')])).code).toBe(0);
    expect((await sb.run(['users', 'agreement', 'hr_hb', '--signed-on', '2024-06-01'])).code).toBe(0);
    await assigned(code(1), 'cultivation');
    const mine = (await add(code(1), '补办环评手续', '华容区生态环境局')).json();
    const other = (await add(code(1), '完善财务制度', '华容区财政局')).json();
    const as = { env: { XYPZ_ACTOR: 'hr_hb' } };
    expect((await list([], as)).map((i) => i.id)).toEqual([mine.id]);
    const refused = await sb.run(['coach', 'done', String(other.id)], as);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('只能办结交给本部门的事项');
    const ok = await sb.run(['coach', 'done', String(mine.id)], as);
    expect(ok.code, ok.stderr).toBe(0);
    const items = await list();
    expect(items.map((i) => i.status)).toEqual(['done', 'open']);
    expect((await show(code(1))).history.find((h: { kind: string }) => h.kind === 'coach_done').actor).toBe('hr_hb');
  });
});

describe('reclassify, close and satisfaction', () => {
  it('reclassifies cultivation to financing with a reason, after which loans work', async () => {
    sb = await initialised();
    await assigned(code(1), 'cultivation');
    const r = await sb.run(['reclassify', code(1), '--to', 'financing', '--reason', '辅导完成，具备融资条件']);
    expect(r.code, r.stderr).toBe(0);
    const d = await show(code(1));
    expect(d.class).toBe('financing');
    expect(d.history.at(-1)).toMatchObject({ kind: 'reclassified', details: { from: 'cultivation', to: 'financing', reason: '辅导完成，具备融资条件' } });
    expect((await loan(code(1), 'credit', '200')).code).toBe(0);
    const same = await sb.run(['reclassify', code(1), '--to', 'financing', '--reason', '再次']);
    expect(same.code).toBe(4);
    expect((await show(code(1))).history.filter((h: { kind: string }) => h.kind === 'reclassified')).toHaveLength(1);
  });

  it('financed needs a disbursement; withdrawn needs a note; closing frees a slot that a candidate fills', async () => {
    sb = await initialised();
    expect((await sb.run(['pool', 'capacity', '1', '--district', HR])).code).toBe(0);
    await assigned(code(1));
    await verified([code(2)]);
    expect((await confirm([code(2)])).code).toBe(4);
    const noLoan = await sb.run(['close', code(1), '--outcome', 'financed']);
    expect(noLoan.code).toBe(4);
    expect(noLoan.stderr).toContain('放款');
    const noNote = await sb.run(['close', code(1), '--outcome', 'withdrawn']);
    expect(noNote.code).toBe(3);
    expect((await show(code(1))).stage).toBe('assigned');
    expect((await loan(code(1), 'disbursement', '50')).code).toBe(0);
    const r = await sb.run(['close', code(1), '--outcome', 'financed']);
    expect(r.code, r.stderr).toBe(0);
    expect(await show(code(1))).toMatchObject({ stage: 'closed', outcome: 'financed', closed_on: '2024-06-15' });
    const p = await pool();
    expect(p).toMatchObject({ active: [], vacancies: 1 });
    expect(p.candidates.map((c: { code: string }) => c.code)).toEqual([code(2)]);
    expect((await confirm([code(2)])).code).toBe(0);
    expect(await activeCodes()).toEqual([code(2)]);
    const again = await sb.run(['close', code(1), '--outcome', 'withdrawn', '--note', '重复']);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain('已办结');
    expect((await sb.run(['close', code(2), '--outcome', 'withdrawn', '--note', '企业主动退出'])).code).toBe(0);
    expect(await show(code(2))).toMatchObject({ stage: 'closed', outcome: 'withdrawn', close_note: '企业主动退出' });
  });

  it('records a satisfaction rating; an unknown rating is a usage error', async () => {
    sb = await initialised();
    await assigned(code(1));
    expect((await sb.run(['satisfaction', code(1), '--rating', '满意'])).code).toBe(0);
    expect((await show(code(1))).ratings).toEqual([{ rating: 'satisfied', date: '2024-06-15' }]);
    expect((await sb.run(['satisfaction', code(1), '--rating', '很好'])).code).toBe(2);
    expect((await show(code(1))).ratings).toHaveLength(1);
  });
});

describe('ledger and filing', () => {
  it('prints an enterprise timeline and writes the district ledger workbook', async () => {
    sb = await initialised();
    await assigned(code(1));
    expect((await loan(code(1), 'disbursement', '0.1')).code).toBe(0);
    expect((await loan(code(1), 'disbursement', '0.2')).code).toBe(0);
    await verified([code(2)], 'cultivation');
    const text = await sb.run(['ledger', code(1)]);
    expect(text.code, text.stderr).toBe(0);
    for (const s of ['推荐', '网上申报', '联合核查', '确认入库', '确定主办行', '放款', ICBC, 'tester']) expect(text.stdout).toContain(s);
    const j = (await sb.run(['ledger', code(1), '--json'])).json();
    expect(kinds(j)).toEqual(['recommended', 'declared', 'verified', 'confirmed', 'assigned', 'disbursement', 'disbursement']);
    const out = await sb.run(['ledger', '--district', HR, '--out', sb.path('台账.xlsx')]);
    expect(out.code, out.stderr).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(sb.path('台账.xlsx'));
    // The ledger is too wide for one page: it prints as two sheets, each with 序号 and 企业名称.
    const sheets = wb.worksheets.map((ws) => ws.getSheetValues().filter(Array.isArray).map((r) => (r as unknown[]).slice(1).map((v) => (typeof v === 'string' ? v.replace(/\n/g, '') : v))));
    const rows = sheets.find((rs) => rs.some((r) => r.includes('放款合计（万元）')))!;
    const h = rows.findIndex((r) => r.includes('企业名称') && r.includes('放款合计（万元）'));
    expect(h).toBeGreaterThanOrEqual(0);
    const header = rows[h]!;
    const body = rows.slice(h + 1).filter((r) => r.includes(nameOf(code(1))) || r.includes(nameOf(code(2))));
    expect(body).toHaveLength(2);
    const row1 = body.find((r) => r.includes(nameOf(code(1))))!;
    expect(row1[header.indexOf('序号')]).toBeTypeOf('number');
    expect(row1[header.indexOf('放款合计（万元）')]).toBe(0.3);
    expect(typeof row1[header.indexOf('授信合计（万元）')]).toBe('number');
    expect(row1[header.indexOf('主办行')]).toBe(ICBC);
    const total = rows.find((r) => r.includes('合计'))!;
    expect(total[header.indexOf('放款合计（万元）')]).toBe(0.3);
    expect(sheets.flat().some((r) => r.includes(code(1)))).toBe(true);
  });

  it('pool filing writes the list and records the filing for each listed case', async () => {
    sb = await initialised();
    await assigned(code(1));
    await verified([code(2)]);
    const r = await sb.run(['pool', 'filing', '--district', HR, '--out', sb.path('报备表.xlsx'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ district: HR, cases: 1, filed_on: '2024-06-15' });
    expect(existsSync(sb.path('报备表.xlsx'))).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(sb.path('报备表.xlsx'));
    const cells = wb.worksheets.flatMap((ws) => ws.getSheetValues().flat().map(String));
    expect(cells).toContain(nameOf(code(1)));
    expect(cells).not.toContain(nameOf(code(2)));
    expect((await show(code(1))).history.at(-1)).toMatchObject({ kind: 'filed', date: '2024-06-15' });
    expect(kinds(await show(code(2)))).not.toContain('filed');
  });
});

describe('end to end', () => {
  it('drives one case from recommendation to closing, checking pool, ledger and audit at each step', async () => {
    sb = await initialised();
    const c = code(7);
    const caseAudit = async () => (await sb.run(['audit', 'log', '--json', '--entity', 'case'])).json() as { actor: string; entity_id: string; after: { step: string } }[];
    let seen = 0;
    const step = async (args: string[], kind: string, inPool: boolean, stage: string) => {
      const r = await sb.run(args, args[1] === 'import' ? { today: '2024-03-05' } : onItsDay(args));
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      const log = await caseAudit();
      expect(log).toHaveLength(seen + 1);
      seen = log.length;
      expect(log.at(-1)).toMatchObject({ actor: 'tester', entity_id: c, after: { step: kind } });
      const p = await pool();
      expect(p.active.some((a: { code: string }) => a.code === c)).toBe(inPool);
      expect(p.vacancies).toBe(inPool ? 9 : 10);
      const l = (await sb.run(['ledger', c, '--json'])).json();
      expect(l.stage).toBe(stage);
      expect(l.history.at(-1).kind).toBe(kind);
    };
    await step(['recommend', '--code', c, '--name', nameOf(c), '--district', HR, '--dept', '经信', '--date', '2024-03-01'], 'recommended', false, 'recommended');
    await writeXlsx(sb.path('d.xlsx'), { 答卷数据: [DECL_HEADER, declRow(c)] });
    await step(['declare', 'import', sb.path('d.xlsx')], 'declared', false, 'declared');
    await step(['verify', c, '--class', 'financing', ...VERIFY, '--date', '2024-04-01'], 'verified', false, 'verified');
    expect((await pool()).candidates.map((x: { code: string }) => x.code)).toEqual([c]);
    await step(['pool', 'confirm', '--district', HR, '--meeting', '2024-04-15', c], 'confirmed', true, 'confirmed');
    await step(['assign', c, '--bank', '工行', '--date', '2024-04-20'], 'assigned', true, 'assigned');
    await step(['loan', c, '--kind', 'credit', '--amount', '300', '--date', '2024-05-01'], 'credit', true, 'assigned');
    await step(['loan', c, '--kind', 'disbursement', '--amount', '250.5', '--date', '2024-05-10', '--first-loan'], 'disbursement', true, 'assigned');
    await step(['close', c, '--outcome', 'financed', '--date', '2024-06-01'], 'closed', false, 'closed');
    await step(['satisfaction', c, '--rating', '满意'], 'satisfaction', false, 'closed');
    const l = (await sb.run(['ledger', c, '--json'])).json();
    expect(l).toMatchObject({ credit_total: '300.00', disbursement_total: '250.50', lead_bank: ICBC, outcome: 'financed' });
    const row = (await sb.run(['ledger', '--district', HR, '--json'])).json()[0];
    expect(row).toMatchObject({ code: c, confirmed_on: '2024-04-15', assigned_on: '2024-04-20', closed_on: '2024-06-01', stage: 'closed' });
    const v = await sb.run(['audit', 'verify']);
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('完整');
  });
});

describe('demo', () => {
  it('prints its hints as they run: npx xypz before installing or through npx, xypz once installed on the PATH', () => {
    const bin = mkdtempSync(join(tmpdir(), 'xypz-bin-'));
    writeFileSync(join(bin, 'xypz'), '');
    expect(invokedAs({ PATH: '/usr/bin:/bin' })).toBe('npx xypz');
    expect(invokedAs({ PATH: `${bin}:/usr/bin`, npm_command: 'exec' })).toBe('npx xypz');
    expect(invokedAs({ PATH: `${bin}:/usr/bin` })).toBe('xypz');
    rmSync(bin, { recursive: true, force: true });
  });

  const demo = (db: string, extra: string[] = []) => sb.run(['demo', '--db', db, '--json', ...extra], { today: '2024-06-15' });

  /** Where a replaced database was kept holds it still: its audit log, entry for entry. */
  async function keptEntries(kept: string): Promise<number> {
    if (ENGINE === 'pg') return Number((await sb.sql<{ n: number }>(`select count(*) as n from ${kept}.audit_log`))[0]!.n);
    return Number(fileQuery<{ n: number }>(kept, 'select count(*) as n from audit_log')[0]!.n);
  }

  it('builds a realistic demo database through the real code paths; rebuilds it only with --yes, keeping the old one', { timeout: 180_000 }, async () => {
    sb = sandbox(); // the demo is the sandbox's database: a file, or a server database
    const db = sb.db;
    const r = await demo(db);
    expect(r.code, r.stderr).toBe(0);
    const s = r.json();
    expect(s.kept).toBeNull();
    expect(s.enterprises).toBeGreaterThanOrEqual(70);
    for (const st of ['recommended', 'assigned', 'closed']) expect(s.byStage[st] ?? 0).toBeGreaterThan(0);
    expect(s.loans).toBeGreaterThan(0);
    expect(s.coachingItems).toBeGreaterThan(0);
    expect(s.feedback).toBeGreaterThan(0);
    const as = { env: { XYPZ_ACTOR: 'demo_admin', XYPZ_DB: db } };
    const pools = await sb.run(['pool', 'show', '--json'], as);
    expect(pools.code, pools.stderr).toBe(0);
    expect(pools.json()).toHaveLength(5);
    for (const p of pools.json()) expect(p.active.length).toBeLessThanOrEqual(p.capacity);
    // a code's area digits (3rd–8th) are its district's GB/T 2260 code; the functional zones, which have none, the city's
    const area: Record<string, string> = { 鄂城区: '420704', 华容区: '420703', 梁子湖区: '420702', 葛店经济技术开发区: '420700', 临空经济区: '420700' };
    const firms = (await sb.run(['enterprise', 'list', '--json'], as)).json() as { code: string; district: string }[];
    expect(new Set(firms.map((f) => f.district))).toEqual(new Set(Object.keys(area)));
    for (const f of firms) expect(f.code.slice(2, 8), `${f.code} ${f.district}`).toBe(area[f.district]);
    expect((await sb.run(['audit', 'verify'], as)).code).toBe(0);
    await sb.run(['pool', 'capacity', '12', '--district', HR], as); // work done on the demo since
    const entries = (await sb.run(['audit', 'verify', '--json'], as)).json().entries;
    const before = await sb.fingerprint();
    const refused = await demo(db);
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stderr).error.message).toMatch(/已有数据库，未做改动：请用 --db 指定另一个路径.*或加 --yes 替换它/);
    expect(await sb.fingerprint()).toBe(before);
    const again = await demo(db, ['--yes']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json().enterprises).toBe(s.enterprises);
    const kept = again.json().kept as string;
    expect(kept).toMatch(ENGINE === 'pg' ? /^xypz_replaced_\d{8}t\d{6}$/ : /\.replaced-\d{8}T\d{6}$/);
    expect(await keptEntries(kept)).toBe(entries);
  });

  it('on a database made by init: exit 2 without --yes, nothing changed; with --yes replaced, the original kept', { timeout: 180_000 }, async () => {
    sb = await initialised();
    await verified([code(1)]);
    const before = await sb.fingerprint();
    const entries = (await sb.run(['audit', 'verify', '--json'])).json().entries;
    const r = await demo(sb.db);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--yes');
    expect(await sb.fingerprint()).toBe(before);
    expect((await show(code(1))).stage).toBe('verified');
    const replaced = await demo(sb.db, ['--yes']);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(await keptEntries(replaced.json().kept)).toBe(entries);
    expect((await sb.run(['enterprise', 'show', code(1)], { env: { XYPZ_ACTOR: 'demo_admin' } })).code).toBe(5);
    if (ENGINE === 'sqlite') {
      // A file that is no xypz database is not replaced, --yes or not.
      writeFileSync(sb.path('notes.db'), '会议记录\n');
      const notes = await demo(sb.path('notes.db'), ['--yes']);
      expect(notes.code).toBe(3);
      expect(readFileSync(sb.path('notes.db'), 'utf8')).toBe('会议记录\n');
    }
  });
});

describe('regressions', () => {
  it('coach fail with a blank note is refused', async () => {
    sb = await initialised();
    await assigned(code(1), 'cultivation');
    const add = await sb.run(['coach', 'add', code(1), '--item', '补办环评手续', '--org', '华容区生态环境局', '--date', '2024-05-01', '--json'], { today: '2024-05-01' });
    const id = String(add.json().id);
    const r = await sb.run(['coach', 'fail', id, '--note', '   ']);
    expect(r.code).toBe(3);
    expect((await sb.run(['coach', 'list', '--json'])).json()[0].status).toBe('open');
  });

  it('pool filing checks its date before writing anything', async () => {
    sb = await initialised();
    await assigned(code(1));
    const out = sb.path('报备表.xlsx');
    for (const date of ['2024-07-01', '2024-04-01']) {
      const r = await sb.run(['pool', 'filing', '--district', HR, '--out', out, '--filed-on', date]);
      expect(r.code, date).toBe(3);
      expect(existsSync(out)).toBe(false);
    }
    expect(kinds(await show(code(1)))).not.toContain('filed');
  });

  it('relative output paths are taken from the working directory', async () => {
    sb = await initialised();
    await assigned(code(1));
    const r = await sb.run(['ledger', '--district', HR, '--out', '台账.xlsx']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(sb.path('台账.xlsx'))).toBe(true);
  });

  it('pool confirm of a case in the wrong stage names the next step; an unknown code is said once', async () => {
    sb = await initialised();
    expect((await sb.run(['recommend', '--code', code(1), '--name', nameOf(code(1)), '--district', HR, '--dept', '经信', '--date', '2024-03-01'], { today: '2024-03-01' })).code).toBe(0);
    const r = await confirm([code(1)]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('xypz declare import');
    const unknown = await confirm([code(9)]);
    expect(unknown.code).toBe(5);
    expect(unknown.stderr.split(code(9)).length - 1).toBe(1);
  });

  it('the district ledger has one row per enterprise, counting its recommendations', async () => {
    sb = await initialised();
    await verified([code(1)]);
    // verify reject needs a declared case; reject a second enterprise, then recommend it again
    expect((await sb.run(['recommend', '--code', code(2), '--name', nameOf(code(2)), '--district', HR, '--dept', '科技', '--date', '2024-03-01'], { today: '2024-03-01' })).code).toBe(0);
    await writeXlsx(sb.path('d2.xlsx'), { 答卷数据: [DECL_HEADER, declRow(code(2))] });
    expect((await sb.run(['declare', 'import', sb.path('d2.xlsx')], { today: '2024-03-05' })).code).toBe(0);
    expect((await sb.run(['verify', 'reject', code(2), '--reason', '不符合条件', '--date', '2024-03-10'], { today: '2024-03-10' })).code).toBe(0);
    expect((await sb.run(['recommend', '--code', code(2), '--name', nameOf(code(2)), '--district', HR, '--dept', '科技', '--date', '2024-04-01'], { today: '2024-04-01' })).code).toBe(0);
    const rows = (await sb.run(['ledger', '--district', HR, '--json'])).json();
    expect(rows.map((r: { code: string; stage: string; recommendations: number }) => [r.code, r.stage, r.recommendations])).toEqual([
      [code(1), 'verified', 1],
      [code(2), 'recommended', 2],
    ]);
  });
});
