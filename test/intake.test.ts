/** Case intake through the CLI: recommendation and its quota, the online declaration, joint verification and its report. */
import ExcelJS from 'exceljs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { withUsccCheck } from '../src/domain/core/ids.js';
import { caseAt, code, DECL_HEADER, declRow, enteredOn, nameOf, show as showCase, VERIFY } from './cases.js';
import { addAccounts, as, initialised, TODAY, type RunOptions, type Sandbox } from './helpers.js';
import { writeXlsx, type CellInput } from './sheets.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

/** A recommendation by 华容区经信 on 2024-03-01 unless the extra flags say otherwise, entered that day unless `opts` says. */
function rec(c: string, extra: string[] = [], opts?: RunOptions) {
  const args = ['recommend', '--code', c, '--name', nameOf(c), '--district', '华容区', '--dept', '经信'];
  if (!extra.includes('--date')) args.push('--date', '2024-03-01');
  const all = [...args, ...extra];
  return sb.run(all, enteredOn(all[all.indexOf('--date') + 1]!, opts));
}

/** The day of the latest submission in survey rows (their 提交答卷时间), when the file is imported. */
function latestSubmission(rows: CellInput[][]): string {
  const days = rows.map((r) => String(r[1]).replace(/\s.*$/, '').replace(/\//g, '-').replace(/-(\d)(?=-|$)/g, '-0$1')).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d));
  return days.sort().at(-1) ?? TODAY;
}

const show = (c: string) => showCase(sb, c);

async function importDecl(file: string, rows: CellInput[][]) {
  await writeXlsx(sb.path(file), { 答卷数据: [DECL_HEADER, ...rows] });
  return sb.run(['declare', 'import', sb.path(file), '--json'], { today: latestSubmission(rows) });
}

const verifyCmd = (c: string, cls = 'financing', extra: string[] = []) => sb.run(['verify', c, '--class', cls, ...VERIFY, ...extra], extra.includes('--date') ? enteredOn(extra[extra.indexOf('--date') + 1]!) : undefined);

/** Recommended on 2024-03-01 and declared on 2024-03-05 (authorised unless told). */
const declared = (c: string, authorised = '是') => caseAt(sb, 'declared', c, { authorised });

describe('credit codes', () => {
  it('accepts valid codes and refuses a changed check character unless --allow-bad-check', async () => {
    sb = await initialised();
    for (const c of ['91110000600037341L', '91350100M000100Y43']) {
      const r = await rec(c);
      expect(r.code, r.stderr).toBe(0);
      expect((await show(c)).code).toBe(c);
    }
    const bad = await rec('91110000600037341M');
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('--allow-bad-check');
    expect((await sb.run(['enterprise', 'list', '--json'])).json()).toHaveLength(2);
    const allowed = await rec('91110000600037341M', ['--allow-bad-check']);
    expect(allowed.code, allowed.stderr).toBe(0);
    const d = await show('91110000600037341M');
    expect(d.history[0].details.check_character).toBe('invalid, allowed');
  });

  it('normalises lower-case and full-width input', async () => {
    sb = await initialised();
    expect((await rec('９１１１００００６０００３７３４１ｌ')).code).toBe(0);
    expect((await rec('91350100m000100y43')).code).toBe(0);
    const codes = (await sb.run(['enterprise', 'list', '--json'])).json().map((e: { code: string }) => e.code);
    expect(codes.sort()).toEqual(['91110000600037341L', '91350100M000100Y43']);
    expect((await show('91110000600037341l')).code).toBe('91110000600037341L');
  });
});

describe('recommend', () => {
  it('registers the enterprise and the recommendation by the resolved department', async () => {
    sb = await initialised();
    const r = await sb.run(['recommend', '--code', code(1), '--name', '鄂州某某科技有限公司', '--district', '华容区', '--dept', '经信', '--reason', '订单增长缺流动资金', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ code: code(1), dept: '华容区经济和信息化局', district: '华容区', date: '2024-06-15', over_quota: false });
    const d = await show(code(1));
    expect(d).toMatchObject({ code: code(1), name: '鄂州某某科技有限公司', district: '华容区', stage: 'recommended', class: null, lead_bank: null });
    expect(d.recommended_by).toBe('华容区经济和信息化局');
    expect(d.recommend_reason).toBe('订单增长缺流动资金');
    expect(d.history).toHaveLength(1);
    expect(d.history[0]).toMatchObject({ kind: 'recommended', date: '2024-06-15', actor: 'tester' });
  });

  it('refuses a 4th recommendation in a year by the same department, unless over quota with a reason', async () => {
    sb = await initialised();
    for (const n of [1, 2, 3]) expect((await rec(code(n), ['--date', `2024-0${n}-10`])).code).toBe(0);
    const fourth = await rec(code(4));
    expect(fourth.code).toBe(4);
    for (const n of [1, 2, 3]) expect(fourth.stderr).toContain(nameOf(code(n)));
    expect(fourth.stderr).toContain('--over-quota');
    expect((await sb.run(['enterprise', 'list', '--json'])).json()).toHaveLength(3);
    // another department of the same district has its own quota
    expect((await rec(code(5), ['--dept', '科技'])).code).toBe(0);
    const over = await rec(code(4), ['--over-quota', '省级专精特新企业，急需资金']);
    expect(over.code, over.stderr).toBe(0);
    const d = await show(code(4));
    expect(d.over_quota_reason).toBe('省级专精特新企业，急需资金');
    expect(d.history[0].details.over_quota).toBe('省级专精特新企业，急需资金');
    const text = await sb.run(['enterprise', 'show', code(4)]);
    expect(text.stdout).toContain('超额推荐理由：省级专精特新企业，急需资金');
    expect((await show(code(1))).over_quota_reason).toBeNull();
  });

  it('under the quota, --over-quota is not recorded (it would count as 超额推荐) and says so on stderr and in the JSON', async () => {
    sb = await initialised();
    expect((await rec(code(1), ['--date', '2024-02-10'])).code).toBe(0);
    const text = await rec(code(2), ['--over-quota', '区重点企业']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toBe('提示：未超额（2024年第 2 家，每年 3 家以内无需理由），--over-quota 的理由未记录\n');
    const json = await rec(code(3), ['--over-quota', '区重点企业', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(json.json()).toMatchObject({ over_quota: false, warnings: ['未超额（2024年第 3 家，每年 3 家以内无需理由），--over-quota 的理由未记录'] });
    for (const c of [code(2), code(3)]) {
      const d = await show(c);
      expect(d.over_quota_reason).toBeNull();
      expect(d.history[0].details).not.toHaveProperty('over_quota');
    }
    const overQuotaFigure = async () => (await sb.run(['report', 'monthly', '--period', '2024-03', '--json'])).json().total.over_quota;
    expect(await overQuotaFigure()).toBe(0);
    // over the quota the reason is recorded, with no such note
    const over = await rec(code(4), ['--over-quota', '区重点企业', '--json']);
    expect(over.code, over.stderr).toBe(0);
    expect(over.json()).toMatchObject({ over_quota: true, warnings: [] });
    expect(over.stderr).toBe('');
    expect((await show(code(4))).over_quota_reason).toBe('区重点企业');
    expect(await overQuotaFigure()).toBe(1);
  });

  it('counts the quota per calendar year', async () => {
    sb = await initialised();
    for (const n of [1, 2, 3]) expect((await rec(code(n), ['--date', `2024-1${n - 1}-10`])).code).toBe(0);
    expect((await rec(code(4), ['--date', '2024-12-30'])).code).toBe(4);
    const next = await rec(code(4), ['--date', '2025-01-05']);
    expect(next.code, next.stderr).toBe(0);
    expect((await show(code(4))).over_quota_reason).toBeNull();
  });

  it('refuses to recommend an enterprise whose case is open', async () => {
    sb = await initialised();
    expect((await rec(code(1))).code).toBe(0);
    const again = await rec(code(1), ['--dept', '科技']);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain('已推荐');
    expect((await show(code(1))).history).toHaveLength(1);
  });

  it('without a terminal names a missing --code (exit 2); a future date is refused (exit 3)', async () => {
    sb = await initialised();
    const missing = await sb.run(['recommend', '--name', '鄂州某某科技有限公司', '--district', '华容区', '--dept', '经信']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--code');
    const future = await rec(code(1), ['--date', '2024-06-16'], { today: TODAY });
    expect(future.code).toBe(3);
    expect(future.stderr).toContain('2024-06-16');
    expect((await sb.run(['enterprise', 'list', '--json'])).json()).toEqual([]);
  });
});

describe('declare import', () => {
  it('reads a survey-platform export: numbered titles, platform columns, ┋ choices, exact money', async () => {
    sb = await initialised();
    expect((await rec(code(1))).code).toBe(0);
    const r = await importDecl('export.xlsx', [declRow(code(1))]);
    expect(r.code, r.stderr).toBe(0);
    // every numbered title and platform column is recognised: no errors, no ignored columns
    expect(r.json()).toMatchObject({ added: 1, updated: 0, unchanged: 0, written: true, errors: [], warnings: [] });
    const d = await show(code(1));
    expect(d).toMatchObject({ stage: 'declared', declared_on: '2024-03-05', authorised: true });
    expect(d.declaration).toMatchObject({
      submitted_on: '2024-03-05', region: '华容区', industry: 'C 制造业', size: '小型', founded: '2015-04-20', capital: '500.00',
      revenue: '1200.50', profit: '-35.00', employees: 46, tax: '18.20', loanBalance: '120.00', demand: '300.00', term: 12,
      guarantees: ['抵押', '保证'], difficulties: ['缺乏抵质押物', '经营规模小'], authorised: '是',
    });
    expect(d.history.map((h: { kind: string }) => h.kind)).toEqual(['recommended', 'declared']);
    expect(d.history[1].date).toBe('2024-03-05');
  });

  it('re-importing the same file changes nothing; a later submission replaces the earlier, which is kept', async () => {
    sb = await initialised();
    expect((await rec(code(1))).code).toBe(0);
    expect((await importDecl('a.xlsx', [declRow(code(1))])).json().added).toBe(1);
    const same = await sb.run(['declare', 'import', sb.path('a.xlsx'), '--json'], { today: '2024-03-05' });
    expect(same.json()).toMatchObject({ added: 0, updated: 0, unchanged: 1 });
    expect((await show(code(1))).history).toHaveLength(2);
    const later = await importDecl('b.xlsx', [declRow(code(1), { at: '2024/4/2 09:00:00', demand: 450.5, guarantees: '信用', authorised: '否' })]);
    expect(later.json()).toMatchObject({ added: 0, updated: 1, unchanged: 0 });
    const d = await show(code(1));
    expect(d).toMatchObject({ stage: 'declared', declared_on: '2024-04-02', authorised: false });
    expect(d.declaration).toMatchObject({ submitted_on: '2024-04-02', demand: '450.50', guarantees: ['信用'], authorised: '否' });
    expect(d.history.map((h: { kind: string }) => h.kind)).toEqual(['recommended', 'declared', 'redeclared']);
    expect(d.history[1].date).toBe('2024-03-05');
    // the earlier submission arriving again does not displace the later one
    await sb.run(['declare', 'import', sb.path('a.xlsx'), '--json'], { today: '2024-04-02' });
    expect((await show(code(1))).declaration.demand).toBe('450.50');
  });

  it('rejects rows for unrecommended enterprises and invalid codes, all or nothing; --partial imports the good ones', async () => {
    sb = await initialised();
    expect((await rec(code(1))).code).toBe(0);
    const broken = `${code(3).slice(0, 17)}${code(3).endsWith('0') ? '1' : '0'}`;
    const rows = [declRow(code(1)), declRow(code(2), { serial: 2 }), declRow(broken, { serial: 3 })];
    const all = await importDecl('mixed.xlsx', rows);
    expect(all.code).toBe(3);
    expect(all.json()).toMatchObject({ written: false, added: 0 });
    const errs = JSON.parse(all.stderr).error.details as { row: number; column: string; reason: string }[];
    expect(errs.map((e) => e.row)).toEqual([3, 4]);
    expect(errs[0]!.reason).toContain('没有经部门推荐');
    expect(errs[1]!.reason).toContain('校验');
    expect((await show(code(1))).stage).toBe('recommended');
    const text = await sb.run(['declare', 'import', sb.path('mixed.xlsx')], { today: '2024-03-05' });
    expect(text.code).toBe(3);
    expect(text.stderr).toContain('xypz recommend');
    expect(text.stderr).not.toMatch(/\n\s+at /);
    const out = sb.path('errors.xlsx');
    const part = await sb.run(['declare', 'import', sb.path('mixed.xlsx'), '--partial', '--errors', out, '--json'], { today: '2024-03-05' });
    expect(part.code, part.stderr).toBe(0);
    expect(part.json()).toMatchObject({ added: 1, written: true });
    expect(part.json().errors).toHaveLength(2);
    expect((await show(code(1))).stage).toBe('declared');
    expect(existsSync(out)).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const cells = wb.worksheets.flatMap((ws) => ws.getSheetValues().flat().map(String));
    expect(cells.some((v) => v.includes('没有经部门推荐'))).toBe(true);
  });

  it('reads a CSV export in UTF-8 with a BOM', async () => {
    sb = await initialised();
    expect((await rec(code(1))).code).toBe(0);
    const line = declRow(code(1)).map((v) => String(v ?? '')).join(',');
    writeFileSync(sb.path('export.csv'), `\ufeff${DECL_HEADER.join(',')}\n${line}\n`);
    const r = await sb.run(['declare', 'import', sb.path('export.csv'), '--json'], { today: '2024-03-05' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ added: 1, errors: [] });
    const d = await show(code(1));
    expect(d).toMatchObject({ stage: 'declared', declared_on: '2024-03-05' });
    expect(d.declaration).toMatchObject({ name: nameOf(code(1)), guarantees: ['抵押', '保证'], demand: '300.00' });
  });
});

describe('verify', () => {
  it('is refused before the declaration, naming the stage and the next step', async () => {
    sb = await initialised();
    expect((await rec(code(1))).code).toBe(0);
    const r = await verifyCmd(code(1));
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('已推荐');
    expect(r.stderr).toContain('xypz declare import');
    expect((await show(code(1))).stage).toBe('recommended');
    expect((await sb.run(['verify', 'reject', code(1), '--reason', '不符合条件'])).code).toBe(4);
  });

  it('is refused when the enterprise did not authorise the credit query', async () => {
    sb = await initialised();
    await declared(code(1), '否');
    const r = await verifyCmd(code(1));
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('授权查询');
    expect((await show(code(1))).stage).toBe('declared');
  });

  it('records the verification and its class after an authorised declaration', async () => {
    sb = await initialised();
    await declared(code(1));
    const r = await verifyCmd(code(1), 'financing', ['--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ code: code(1), stage: 'verified', class: 'financing', verified_on: '2024-06-15' });
    const d = await show(code(1));
    expect(d).toMatchObject({ stage: 'verified', class: 'financing', verified_on: '2024-06-15' });
    expect(d.verification).toMatchObject({ result: 'financing', advice: '建议主办行以应收账款质押授信', experts: '张三（工行）,李四（农商行）' });
    expect(d.history.map((h: { kind: string }) => h.kind)).toEqual(['recommended', 'declared', 'verified']);
    expect(d.history[2].actor).toBe('tester');
    expect((await verifyCmd(code(1))).code).toBe(4);
    expect((await verifyCmd(code(1), 'cultivation')).code).toBe(4);
    expect((await show(code(1))).class).toBe('financing');
  });

  it('reject marks the case 未入选, after which the enterprise may be recommended again', async () => {
    sb = await initialised();
    await declared(code(1));
    const r = await sb.run(['verify', 'reject', code(1), '--reason', '经营异常，暂不入选', '--date', '2024-04-01'], enteredOn('2024-04-01'));
    expect(r.code, r.stderr).toBe(0);
    const d = await show(code(1));
    expect(d).toMatchObject({ stage: 'rejected', class: null });
    expect(d.verification).toMatchObject({ result: 'rejected', reason: '经营异常，暂不入选' });
    expect(d.history.at(-1)).toMatchObject({ kind: 'rejected', date: '2024-04-01' });
    const again = await rec(code(1), ['--date', '2024-05-01']);
    expect(again.code, again.stderr).toBe(0);
    const e = await show(code(1));
    expect(e).toMatchObject({ stage: 'recommended', recommended_on: '2024-05-01' });
    expect(e.earlier_cases).toEqual([expect.objectContaining({ stage: 'rejected' })]);
  });

  it('enterprise show keeps the earlier rejected case: every case newest first, each with its own history', async () => {
    sb = await initialised();
    await declared(code(1));
    expect((await sb.run(['verify', 'reject', code(1), '--reason', '经营异常，暂不入选', '--date', '2024-04-01'], enteredOn('2024-04-01'))).code).toBe(0);
    expect((await rec(code(1), ['--date', '2024-05-01', '--dept', '科技'])).code).toBe(0);
    const d = await show(code(1));
    // the top-level keys stay the current case's, its history included
    expect(d).toMatchObject({ stage: 'recommended', class: null, lead_bank: null, recommended_on: '2024-05-01' });
    expect(d.history.map((h: { kind: string }) => h.kind)).toEqual(['recommended']);
    expect(d.cases).toHaveLength(2);
    expect(d.cases[0]).toMatchObject({ current: true, stage: 'recommended', recommended_on: '2024-05-01', recommended_by: '华容区科学技术局' });
    expect(d.cases[0].history).toEqual(d.history);
    expect(d.cases[1]).toMatchObject({ current: false, stage: 'rejected', recommended_on: '2024-03-01', recommended_by: '华容区经济和信息化局', verification: { result: 'rejected', reason: '经营异常，暂不入选' } });
    expect(d.cases[1].history.map((h: { kind: string; date: string }) => `${h.kind} ${h.date}`)).toEqual(['recommended 2024-03-01', 'declared 2024-03-05', 'rejected 2024-04-01']);
    // on a terminal: a section per case, the newest first, the rejection and its reason shown
    const t = await sb.run(['enterprise', 'show', code(1)]);
    expect(t.code, t.stderr).toBe(0);
    const second = t.stdout.indexOf('── 第 2 次：2024-05-01 推荐，已推荐（当前） ──');
    const first = t.stdout.indexOf('── 第 1 次：2024-03-01 推荐，未入选 ──');
    expect(second).toBeGreaterThan(0);
    expect(first).toBeGreaterThan(second);
    expect(t.stdout.slice(first)).toContain('未入选理由：经营异常，暂不入选（2024-04-01）');
    expect(t.stdout.slice(first)).toContain('网上申报');
    // a department sees only the cases within its scope: 科技 recommended the new case, not the rejected one
    await addAccounts(sb, [{ login: 'hr_kj', org: '华容区科学技术局' }]);
    const dept = await sb.run(['enterprise', 'show', code(1), '--json'], as('hr_kj'));
    expect(dept.code, dept.stderr).toBe(0);
    expect(dept.json().cases.map((x: { stage: string }) => x.stage)).toEqual(['recommended']);
  });
});

describe('verify report', () => {
  it('renders the 核查报告 as Markdown and as a workbook', async () => {
    sb = await initialised();
    await declared(code(1));
    expect((await verifyCmd(code(1))).code).toBe(0);
    const md = await sb.run(['verify', 'report', code(1), '--out', sb.path('report.md')]);
    expect(md.code, md.stderr).toBe(0);
    const text = readFileSync(sb.path('report.md'), 'utf8');
    for (const s of [nameOf(code(1)), '融资类', '建议主办行以应收账款质押授信', '张三（工行）、李四（农商行）', '缺乏抵质押物、经营规模小', '华容区经济和信息化局', '300.00']) {
      expect(text).toContain(s);
    }
    expect(text).not.toMatch(/\{\{/);
    const xl = await sb.run(['verify', 'report', code(1), '--out', sb.path('report.xlsx')]);
    expect(xl.code, xl.stderr).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(sb.path('report.xlsx'));
    const rows = wb.worksheets[0]!.getSheetValues().map((r) => (Array.isArray(r) ? r.slice(1).map(String) : []));
    // each label is followed by its value (merged across the row for the long ones)
    const after = (label: string) => rows.find((r) => r?.[0] === label)?.[1];
    expect(after('对策建议')).toBe('建议主办行以应收账款质押授信');
    expect(after('企业名称')).toBe(nameOf(code(1)));
  });

  it('is refused before verification', async () => {
    sb = await initialised();
    await declared(code(1));
    const r = await sb.run(['verify', 'report', code(1), '--out', sb.path('r.md')]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('xypz verify');
    expect(existsSync(sb.path('r.md'))).toBe(false);
  });
});

describe('enterprise list', () => {
  it('filters by district and stage; the JSON has the contract keys', async () => {
    sb = await initialised();
    await declared(code(1));
    expect((await rec(code(2))).code).toBe(0);
    const other = withUsccCheck('91420704MA4F00009');
    expect((await sb.run(['recommend', '--code', other, '--name', '鄂城某某商贸有限公司', '--district', '鄂城区', '--dept', '经信', '--date', '2024-03-01'], enteredOn('2024-03-01'))).code).toBe(0);
    const hr = (await sb.run(['enterprise', 'list', '--district', '华容区', '--json'])).json();
    expect(hr.map((e: { code: string }) => e.code).sort()).toEqual([code(1), code(2)].sort());
    const r = await sb.run(['enterprise', 'list', '--district', '华容区', '--stage', 'declared', '--json']);
    expect(r.code).toBe(0);
    const list = r.json();
    expect(list).toHaveLength(1);
    expect(Object.keys(list[0])).toEqual(expect.arrayContaining(['code', 'name', 'district', 'stage', 'class', 'lead_bank']));
    expect(list[0]).toMatchObject({ code: code(1), name: nameOf(code(1)), district: '华容区', stage: 'declared', class: null, lead_bank: null });
    expect((await sb.run(['enterprise', 'list', '--district', '鄂城区', '--stage', 'declared', '--json'])).json()).toEqual([]);
    expect((await sb.run(['enterprise', 'list', '--stage', 'nonsense'])).code).toBe(2);
  });
});

describe('who may take part', () => {
  /** A bank operator and the 华容区经信 operator, both with the agreement signed. */
  async function withStaff(): Promise<Sandbox> {
    const s = await initialised();
    await addAccounts(s, [
      { login: 'icbc_op', org: '工行', kind: '金融机构', region: '鄂州市', role: '操作员' },
      { login: 'hr_jx', org: '华容区经信', kind: '政府部门', region: '华容区', role: '操作员' },
    ]);
    return s;
  }


  it('a bank operator may not recommend; a department recommends in its own name only', async () => {
    sb = await withStaff();
    const bank = await rec(code(1), [], as('icbc_op'));
    expect(bank.code).toBe(4);
    expect((await sb.run(['enterprise', 'list', '--json'])).json()).toEqual([]);
    const otherDept = await rec(code(1), ['--dept', '科技'], as('hr_jx'));
    expect(otherDept.code).toBe(4);
    expect(otherDept.stderr).toContain('只能以本部门名义推荐');
    const own = await rec(code(1), [], as('hr_jx'));
    expect(own.code, own.stderr).toBe(0);
    expect((await show(code(1))).history[0].actor).toBe('hr_jx');
  });
});

describe('regressions', () => {
  it('re-importing a file with two submissions of one enterprise changes nothing', async () => {
    sb = await initialised();
    expect((await rec(code(1))).code).toBe(0);
    const rows = [declRow(code(1)), declRow(code(1), { serial: 2, at: '2024/4/2 09:00:00', demand: 500 })];
    expect((await importDecl('both.xlsx', rows)).json()).toMatchObject({ added: 1, updated: 1 });
    for (let i = 0; i < 2; i++) {
      const again = await sb.run(['declare', 'import', sb.path('both.xlsx'), '--json'], { today: '2024-04-02' });
      expect(again.json()).toMatchObject({ added: 0, updated: 0, unchanged: 2 });
    }
    const d = await show(code(1));
    expect(d.declaration.demand).toBe('500.00');
    expect(d.history.map((h: { kind: string }) => h.kind)).toEqual(['recommended', 'declared', 'redeclared']);
  });

  it('lists an enterprise under the stage of its latest case only', async () => {
    sb = await initialised();
    await declared(code(1));
    expect((await sb.run(['verify', 'reject', code(1), '--reason', '不符合条件', '--date', '2024-03-10'], enteredOn('2024-03-10'))).code).toBe(0);
    expect((await rec(code(1), ['--date', '2024-04-01'])).code).toBe(0);
    expect((await sb.run(['enterprise', 'list', '--stage', 'rejected', '--json'])).json()).toEqual([]);
    expect((await sb.run(['enterprise', 'list', '--stage', 'recommended', '--json'])).json().map((e: { code: string }) => e.code)).toEqual([code(1)]);
  });
});
