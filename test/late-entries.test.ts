/**
 * Late entries and date bounds: the rule on hand-made dates (core/entry-dates.ts), then through the CLI on
 * every kind of entry — a unit refused for a month already final, the 人民银行 told to give its reason, and
 * accepted with it; dates before the programme's start or after today refused; nothing written on a refusal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { checkCorrectionReason, judgeEventDate, monthIsFinal } from '../src/domain/core/entry-dates.js';
import type { Profile } from '../src/domain/core/policy.js';
import { DataError } from '../src/errors.js';
import { caseAt, code, HR, nameOf, VERIFY } from './cases.js';
import { addAccounts, as, initialised, ok, type Sandbox } from './helpers.js';
import { fill, loans as loanRows, make, S, scenario } from './collect-helpers.js';
import { writeXlsx } from './sheets.js';

const START = '2023-12-28';

function profile(kind: Profile['org']['kind'], role: Profile['role'] = 'operator'): Profile {
  const names: Record<string, string> = { pboc: '中国人民银行鄂州市分行', 'finance-office': '华容区金融办', bank: '中国工商银行鄂州分行', department: '华容区经济和信息化局' };
  const name = names[kind] ?? kind;
  return { login: 'x', name: '某人', role, org: { id: 1, name, kind, regionCode: '420703', deptKind: null }, cityCode: '420700' };
}
const pboc = profile('pboc');
const pbocAdmin = profile('pboc', 'admin');
const office = profile('finance-office');
const bank = profile('bank');

describe('the rule, on hand-made dates', () => {
  const UNIT = '2024年7月已结报：补录须由人民银行以更正方式登记';
  const ASK = '2024年7月已结报：补录是对已发布数字的更正，请加 --correction <理由>';
  type Row = [string, Profile, string, string | undefined, 'open' | 'late' | string];
  const table: Row[] = [
    // before the programme's start, after today: refused to everyone, naming the date and the bound
    ['2024-08-15', office, '2023-12-27', undefined, '日期 2023-12-27 早于工作开始日期（2023-12-28）'],
    ['2024-08-15', pboc, '1900-01-01', '补录', '日期 1900-01-01 早于工作开始日期（2023-12-28）'],
    ['2024-08-15', office, '2024-08-16', undefined, '日期 2024-08-16 晚于今天（2024-08-15）'],
    ['2024-08-15', pboc, '2025-01-01', '补录', '日期 2025-01-01 晚于今天（2024-08-15）'],
    // today, and a month whose cut-off (the 10th of the next month) has not passed: entered as usual
    ['2024-08-15', office, '2024-08-15', undefined, 'open'],
    ['2024-08-10', office, '2024-07-31', undefined, 'open'],
    ['2024-08-10', bank, '2024-07-01', undefined, 'open'],
    ['2025-01-10', office, '2024-12-20', undefined, 'open'],
    ['2024-01-10', office, '2023-12-28', undefined, 'open'],
    // the day after the cut-off: the month is final
    ['2024-08-11', office, '2024-07-31', undefined, UNIT],
    ['2024-08-11', bank, '2024-07-01', undefined, UNIT],
    ['2024-08-11', office, '2024-07-31', '补录', UNIT],
    ['2025-01-11', office, '2024-12-20', undefined, '2024年12月已结报：补录须由人民银行以更正方式登记'],
    ['2024-08-15', office, '2023-12-28', undefined, '2023年12月已结报：补录须由人民银行以更正方式登记'],
    // the 人民银行: told to give its reason, accepted with it
    ['2024-08-11', pboc, '2024-07-31', undefined, ASK],
    ['2024-08-11', pbocAdmin, '2024-07-15', undefined, ASK],
    ['2024-08-11', pboc, '2024-07-31', '纸质台账补录', 'late'],
    ['2024-08-11', pbocAdmin, '2024-07-15', '纸质台账补录', 'late'],
    ['2025-03-01', pboc, '2023-12-28', '纸质台账补录', 'late'],
    // a 人民银行 查询员 does not correct
    ['2024-08-11', profile('pboc', 'viewer'), '2024-07-31', '补录', UNIT],
  ];
  it.each(table)('today %s, %o, date %s, reason %s → %s', (today, who, date, reason, expected) => {
    const v = judgeEventDate({ today, profile: who }, date, START, reason);
    if (expected === 'open') expect(v).toEqual({ ok: true, late: false });
    else if (expected === 'late') expect(v).toEqual({ ok: true, late: true });
    else {
      expect(v.ok).toBe(false);
      expect(!v.ok && v.reason).toContain(expected);
    }
  });

  it('names the cut-off that has passed', () => {
    const v = judgeEventDate({ today: '2024-08-11', profile: office }, '2024-07-15', START, undefined);
    expect(!v.ok && v.reason).toBe('2024年7月已结报：补录须由人民银行以更正方式登记（日期 2024-07-15；该月报送截止日 2024-08-10 已过，数字不再变化）');
  });

  it('a month is final from the day after its cut-off', () => {
    expect(monthIsFinal('2024-07', '2024-08-10')).toBe(false);
    expect(monthIsFinal('2024-07', '2024-08-11')).toBe(true);
    expect(monthIsFinal('2024-12', '2025-01-10')).toBe(false);
    expect(monthIsFinal('2024-12', '2025-01-11')).toBe(true);
  });

  it('only the 人民银行 gives a correction, with a reason of one line', () => {
    expect(checkCorrectionReason({ profile: pboc }, undefined)).toBeUndefined();
    expect(checkCorrectionReason({ profile: office }, undefined)).toBeUndefined();
    expect(checkCorrectionReason({ profile: pboc }, '  纸质台账补录 ')).toBe('纸质台账补录');
    for (const who of [office, bank, profile('department'), profile('pboc', 'viewer')]) {
      expect(() => checkCorrectionReason({ profile: who }, '补录')).toThrow(DataError);
      expect(() => checkCorrectionReason({ profile: who }, '补录')).toThrow('只有人民银行可以以更正方式登记');
    }
    expect(() => checkCorrectionReason({ profile: pboc }, '   ')).toThrow('--correction 的理由不能为空');
    expect(() => checkCorrectionReason({ profile: pboc }, '长'.repeat(501))).toThrow('不超过 500 字');
  });
});

let sb: Sandbox;
afterEach(() => sb?.cleanup());

const TODAY = '2024-08-15';
const at = (login: string, today = TODAY) => ({ ...as(login), today });
const pbocAt = (today = TODAY) => ({ today });

/** A financing firm of 华容区 with 工行 as its lead bank since 2024-06-20, entered day by day; a 华容区金融办 operator hr_jrb. */
async function assignedFirm(n = 1): Promise<string> {
  sb = await initialised();
  await addAccounts(sb, [{ login: 'hr_jrb', org: '华容区金融办', kind: '金融办', region: '华容区', role: '操作员', phone: '13700000001' }]);
  const c = code(n);
  await caseAt(sb, 'assigned', c, { on: { recommended: '2024-06-01', declared: '2024-06-03', verified: '2024-06-10', confirmed: '2024-06-15', assigned: '2024-06-20' } });
  return c;
}

/** The corrections recorded, oldest first. */
async function corrections(): Promise<{ reason: string; what: string; actor: string; command: string; batch_id: number | null }[]> {
  const rows = await sb.sql<{ reason: string; what: string; actor: string; command: string; batch_id: number | null }>('select reason, what, actor, command, batch_id from correction order by id');
  return rows.map((r) => ({ ...r, batch_id: r.batch_id === null ? null : Number(r.batch_id) }));
}

async function loans(c: string): Promise<string[]> {
  const d = (await ok(sb, ['enterprise', 'show', c, '--json'], { today: TODAY })).json();
  return d.history.filter((h: { kind: string }) => h.kind === 'credit' || h.kind === 'disbursement').map((h: { date: string }) => h.date);
}

describe('a single entry through the CLI', () => {
  it('a unit is refused a date in a final month (exit 3), nothing written; the 人民银行 is told to give its reason', async () => {
    const c = await assignedFirm();
    const loan = ['loan', c, '--kind', 'credit', '--amount', '100', '--date', '2024-07-15'];
    const unit = await sb.run(loan, at('hr_jrb'));
    expect(unit.code).toBe(3);
    expect(unit.stderr).toContain('2024年7月已结报：补录须由人民银行以更正方式登记');
    const claimed = await sb.run([...loan, '--correction', '补录'], at('hr_jrb'));
    expect(claimed.code).toBe(3);
    expect(claimed.stderr).toContain('只有人民银行可以以更正方式登记');
    const pbocNoReason = await sb.run(loan, pbocAt());
    expect(pbocNoReason.code).toBe(3);
    expect(pbocNoReason.stderr).toContain('请加 --correction <理由>');
    expect(await loans(c)).toEqual([]);
    // the same loan on the month's cut-off day is still an ordinary entry
    await ok(sb, loan, at('hr_jrb', '2024-08-10'));
    expect(await loans(c)).toEqual(['2024-07-15']);
  });

  it('the 人民银行 with --correction enters it, and the write records one correction with its reason', async () => {
    const c = await assignedFirm();
    const r = await sb.run(['loan', c, '--kind', 'credit', '--amount', '100', '--date', '2024-07-15', '--correction', '纸质台账补录'], pbocAt());
    expect(r.code, r.stderr).toBe(0);
    expect(await loans(c)).toEqual(['2024-07-15']);
    const rows = await corrections();
    expect(rows).toEqual([{ reason: '纸质台账补录', what: `${nameOf(c)}的授信（2024-07-15）`, actor: 'tester', command: 'loan', batch_id: null }]);
    // the loan carries the stamp of the write that made the correction: recorded today, not on its date
    const stamp = (await sb.sql<{ s: string }>('select recorded_at as s from loan'))[0]!.s;
    expect(stamp.slice(0, 10)).toBe(TODAY);
    expect((await sb.sql<{ s: string }>('select recorded_at as s from correction'))[0]!.s).toBe(stamp);
  });

  it('refuses a date before the programme start or after today, naming the date and the bound', async () => {
    const c = await assignedFirm();
    const before = await sb.run(['recommend', '--code', code(9), '--name', nameOf(code(9)), '--district', HR, '--dept', '经信', '--date', '2023-12-01'], pbocAt());
    expect(before.code).toBe(3);
    expect(before.stderr).toContain('日期 2023-12-01 早于工作开始日期（2023-12-28）');
    const after = await sb.run(['loan', c, '--kind', 'credit', '--amount', '100', '--date', '2024-08-16'], pbocAt());
    expect(after.code).toBe(3);
    expect(after.stderr).toContain('日期 2024-08-16 晚于今天（2024-08-15）');
    expect(await loans(c)).toEqual([]);
  });

  it('every command that enters an event applies the rule', async () => {
    const c = await assignedFirm();
    const late = '2024-07-15';
    const attempts: string[][] = [
      ['recommend', '--code', code(9), '--name', nameOf(code(9)), '--district', HR, '--dept', '经信', '--date', late],
      ['assign', c, '--bank', '农行', '--date', late, '--reason', '更换'],
      ['loan', c, '--kind', 'credit', '--amount', '100', '--date', late],
      ['coach', 'add', c, '--item', '完善财务报表', '--org', '经信', '--date', late],
      ['reclassify', c, '--to', 'cultivation', '--reason', '暂缓融资', '--date', late],
      ['close', c, '--outcome', 'withdrawn', '--note', '企业退出', '--date', late],
      ['satisfaction', c, '--rating', '满意', '--date', late],
    ];
    // a unit that may not set a capacity is refused that first (exit 4); the 人民银行 still needs its reason
    const capacity = await sb.run(['pool', 'capacity', '12', '--district', HR, '--date', late], pbocAt());
    expect(capacity.code).toBe(3);
    expect(capacity.stderr).toContain('--correction <理由>');
    for (const args of attempts) {
      const r = await sb.run(args, at('hr_jrb'));
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(3);
      expect(r.stderr, args.join(' ')).toContain('2024年7月已结报：补录须由人民银行以更正方式登记');
      const p = await sb.run(args, pbocAt());
      expect(p.code, `${args.join(' ')}: ${p.stderr}`).toBe(3);
      expect(p.stderr, args.join(' ')).toContain('--correction <理由>');
    }
    const d = (await ok(sb, ['enterprise', 'show', c, '--json'], { today: TODAY })).json();
    expect(d.history.map((h: { date: string }) => h.date).filter((x: string) => x >= '2024-07-01')).toEqual([]);
    expect((await sb.run(['enterprise', 'show', code(9), '--json'], { today: TODAY })).code).toBe(5);
    expect(await corrections()).toEqual([]);
    // the 人民银行 with its reason: each accepted, each one correction
    for (const args of [...attempts, ['pool', 'capacity', '12', '--district', HR, '--date', late]]) {
      if (args[0] === 'close' || args[0] === 'reclassify') continue; // each would end what the next needs
      await ok(sb, [...args, '--correction', `补录：${args[0]}`], pbocAt());
    }
    await ok(sb, ['close', c, '--outcome', 'withdrawn', '--note', '企业退出', '--date', late, '--correction', '补录：close'], pbocAt());
    const made = await corrections();
    expect(made.map((m) => [m.command, m.reason])).toEqual([
      ['recommend', '补录：recommend'],
      ['assign', '补录：assign'],
      ['loan', '补录：loan'],
      ['coach add', '补录：coach'],
      ['satisfaction', '补录：satisfaction'],
      ['pool capacity', '补录：pool'],
      ['close', '补录：close'],
    ]);
    expect(made.every((m) => m.actor === 'tester' && m.batch_id === null && m.what.includes('（2024-07-15）'))).toBe(true);
  });

  it('verify, pool confirm and declare apply it too', async () => {
    sb = await initialised();
    await addAccounts(sb, [{ login: 'hr_jrb', org: '华容区金融办', kind: '金融办', region: '华容区', role: '操作员', phone: '13700000001' }]);
    const [a, b] = [code(1), code(2)];
    await caseAt(sb, 'declared', a, { on: { recommended: '2024-06-01', declared: '2024-06-03' } });
    await caseAt(sb, 'verified', b, { on: { recommended: '2024-06-01', declared: '2024-06-03', verified: '2024-06-10' } });
    const verify = await sb.run(['verify', a, '--class', 'financing', ...VERIFY, '--date', '2024-06-20'], at('hr_jrb'));
    expect(verify.code).toBe(3);
    expect(verify.stderr).toContain('2024年6月已结报');
    const confirm = await sb.run(['pool', 'confirm', '--district', HR, '--meeting', '2024-06-20', b], at('hr_jrb'));
    expect(confirm.code).toBe(3);
    expect(confirm.stderr).toContain('2024年6月已结报');
    // declare add says so before asking the questionnaire's questions
    await caseAt(sb, 'recommended', code(3), { on: { recommended: '2024-06-01' } });
    const declare = await sb.run(['declare', 'add', code(3), '--date', '2024-06-20'], at('hr_jrb'));
    expect(declare.code).toBe(3);
    expect(declare.stderr).toContain('2024年6月已结报');
    // both entered in the open month instead
    await ok(sb, ['verify', a, '--class', 'financing', ...VERIFY, '--date', '2024-08-01'], at('hr_jrb'));
    await ok(sb, ['pool', 'confirm', '--district', HR, '--meeting', '2024-08-01', b], at('hr_jrb'));
  });

  it('a correction given where nothing is late is refused, not recorded', async () => {
    const c = await assignedFirm();
    const r = await sb.run(['loan', c, '--kind', 'credit', '--amount', '100', '--date', '2024-08-01', '--correction', '补录'], pbocAt());
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('请去掉 --correction');
    expect(await loans(c)).toEqual([]);
  });
});

describe('feedback: received the day it is entered', () => {
  it('another submission date only from the 人民银行, with a reason', async () => {
    sb = await initialised();
    await addAccounts(sb, [{ login: 'ec_jrb', org: '鄂城区金融办', kind: '金融办', region: '鄂城区', role: '操作员', phone: '13700000002' }]);
    const add = ['feedback', 'add', '--from', '鄂城区', '--month', '2024-03', '--text', '三月工作情况', '--date', '2024-04-09'];
    const unit = await sb.run(add, at('ec_jrb', '2025-02-20'));
    expect(unit.code).toBe(3);
    expect(unit.stderr).toContain('--date 只能由人民银行以更正方式给出');
    const pbocNoReason = await sb.run(add, pbocAt('2025-02-20'));
    expect(pbocNoReason.code).toBe(3);
    expect(pbocNoReason.stderr).toContain('请加 --correction <理由>');
    const none = (await ok(sb, ['feedback', 'show', '--month', '2024-03', '--from', '鄂城区', '--json'], pbocAt('2025-02-20'))).json();
    expect(none).toEqual([]);
    // typed eleven months late by the unit: recorded today, 逾期
    const late = (await ok(sb, ['feedback', 'add', '--from', '鄂城区', '--month', '2024-03', '--text', '三月工作情况', '--json'], at('ec_jrb', '2025-02-20'))).json();
    expect(late).toMatchObject({ late: true, deadline: '2024-04-10' });
    const shown = (await ok(sb, ['feedback', 'show', '--month', '2024-03', '--from', '鄂城区', '--json'], pbocAt('2025-02-20'))).json();
    expect(shown.map((e: { submitted_on: string; status: string }) => [e.submitted_on, e.status])).toEqual([['2025-02-20', 'late']]);
    // the 人民银行 records a paper copy received on time, as a correction: it counts, and the correction says why
    const paper = (await ok(sb, [...add, '--correction', '纸质报送件 2024-04-09 已收到，漏录', '--json'], pbocAt('2025-02-20'))).json();
    expect(paper).toMatchObject({ late: false });
    const after = (await ok(sb, ['feedback', 'show', '--month', '2024-03', '--from', '鄂城区', '--json'], pbocAt('2025-02-20'))).json();
    expect(after.map((e: { submitted_on: string; status: string }) => [e.submitted_on, e.status])).toEqual([['2024-04-09', 'counted'], ['2025-02-20', 'late']]);
    expect(await corrections()).toEqual([{ reason: '纸质报送件 2024-04-09 已收到，漏录', what: '鄂城区2024-03 月度反馈的报送日期（--date 2024-04-09）', actor: 'tester', command: 'feedback add', batch_id: null }]);
  });

  it('a feedback sheet whose 报送日期 is not today is refused row by row to a unit', async () => {
    sb = await initialised();
    await addAccounts(sb, [{ login: 'ec_jrb', org: '鄂城区金融办', kind: '金融办', region: '鄂城区', role: '操作员', phone: '13700000002' }]);
    const f = sb.path('fb.xlsx');
    await writeXlsx(f, { 反馈: [['报送单位', '月份', '反馈内容', '报送日期'], ['鄂城区', '2024-03', '三月', '2024-04-09'], ['鄂城区', '2024-04', '四月', '2025-02-20']] });
    const r = await sb.run(['feedback', 'import', f], at('ec_jrb', '2025-02-20'));
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('第 2 行');
    expect(r.stderr).toContain('只能由人民银行以更正方式给出');
    expect(r.stderr).not.toContain('第 3 行');
  });
});

describe('imports: every late row reported, nothing written', () => {
  it('recommend import: rows dated 1900-01-01, before the start, or in a closed year are each refused', async () => {
    sb = await initialised();
    const f = sb.path('rec.xlsx');
    const header = ['统一社会信用代码', '企业名称', '所在区', '推荐部门', '推荐日期'];
    const rows = [
      [code(11), nameOf(code(11)), HR, '经信', '1900-01-01'],
      [code(12), nameOf(code(12)), HR, '经信', '2023-06-30'],
      [code(13), nameOf(code(13)), HR, '经信', '2024-12-20'],
      [code(14), nameOf(code(14)), HR, '经信', '2025-02-01'],
    ];
    await writeXlsx(f, { 推荐名单: [header, ...rows] });
    const r = await sb.run(['recommend', 'import', f], pbocAt('2025-02-20'));
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('第 2 行「推荐日期」列（值「1900-01-01」）：日期 1900-01-01 早于工作开始日期（2023-12-28）');
    expect(r.stderr).toContain('第 3 行「推荐日期」列（值「2023-06-30」）：日期 2023-06-30 早于工作开始日期');
    expect(r.stderr).toContain('第 4 行「推荐日期」列（值「2024-12-20」）：2024年12月已结报');
    expect(r.stderr).not.toContain('第 5 行');
    for (const [c] of rows) expect((await sb.run(['enterprise', 'show', String(c), '--json'], pbocAt('2025-02-20'))).code).toBe(5);
    // the yearly quota counts by the recommendation date: three in 2025 fill it, a 2024 date cannot go round it
    const quota = sb.path('quota.xlsx');
    const four = [15, 16, 17, 18].map((n) => [code(n), nameOf(code(n)), HR, '经信', '2025-02-0' + (n - 14)]);
    await writeXlsx(quota, { 推荐名单: [header, ...four] });
    const q = await sb.run(['recommend', 'import', quota], pbocAt('2025-02-20'));
    expect(q.code).toBe(3); // the fourth row over the quota is a problem of the batch: nothing written
    expect(q.stderr).toContain('第 5 行「超额理由」列');
    await writeXlsx(quota, { 推荐名单: [header, ...four.slice(0, 3), [code(18), nameOf(code(18)), HR, '经信', '2024-12-31']] });
    const round = await sb.run(['recommend', 'import', quota], pbocAt('2025-02-20'));
    expect(round.code).toBe(3);
    expect(round.stderr).toContain('第 5 行「推荐日期」列（值「2024-12-31」）：2024年12月已结报');
    expect(await corrections()).toEqual([]);
    // the 人民银行 corrects with its reason: the batch goes in, with one correction for it
    const late = sb.path('late.xlsx');
    await writeXlsx(late, { 推荐名单: [header, [code(19), nameOf(code(19)), HR, '科技', '2024-12-20'], [code(20), nameOf(code(20)), HR, '科技', '2025-02-03']] });
    const corrected = await sb.run(['recommend', 'import', late, '--correction', '漏报的 12 月推荐', '--json'], pbocAt('2025-02-20'));
    expect(corrected.code, corrected.stderr).toBe(0);
    const batch = corrected.json().batch_id;
    expect(await corrections()).toEqual([{ reason: '漏报的 12 月推荐', what: `推荐名单导入（批次 #${batch}）中已结报月份的记录`, actor: 'tester', command: 'recommend import', batch_id: batch }]);
    expect((await ok(sb, ['enterprise', 'show', code(19), '--json'], pbocAt('2025-02-20'))).json().recommended_on).toBe('2024-12-20');
  });

  it('a unit cannot give a correction to an import; a reason for a batch with nothing late is refused', async () => {
    sb = await initialised();
    await addAccounts(sb, [{ login: 'hr_jrb', org: '华容区金融办', kind: '金融办', region: '华容区', role: '操作员', phone: '13700000001' }]);
    const f = sb.path('rec.xlsx');
    await writeXlsx(f, { 推荐名单: [['统一社会信用代码', '企业名称', '所在区', '推荐部门', '推荐日期'], [code(11), nameOf(code(11)), HR, '经信', '2024-08-01']] });
    const unit = await sb.run(['recommend', 'import', f, '--correction', '补录'], at('hr_jrb'));
    expect(unit.code).toBe(3);
    expect(unit.stderr).toContain('只有人民银行可以以更正方式登记');
    const nothingLate = await sb.run(['recommend', 'import', f, '--correction', '补录'], pbocAt());
    expect(nothingLate.code).toBe(3);
    expect(nothingLate.stderr).toContain('请去掉 --correction');
    expect((await sb.run(['enterprise', 'show', code(11), '--json'], pbocAt())).code).toBe(5);
    expect(await corrections()).toEqual([]);
  });
});


describe('collect import: a workbook back after its month is final', () => {
  const MAY_FINAL = '2024-06-15';
  it('a bank is refused row by row; the 人民银行 imports it as one correction of the batch', async () => {
    sb = await scenario();
    await addAccounts(sb, [{ login: 'icbc_op', org: S.ICBC, kind: '金融机构', region: '鄂州市', phone: '13800000003' }]);
    const books = await make(sb, S.MONTH, ['--unit', S.ICBC]);
    const file = await fill(sb, books[S.ICBC]!, (wb) => loanRows(wb, [[S.CODES.A, '授信', 500, '2024-05-10'], [S.CODES.B, '放款', 80, '2024-05-20']]));
    const bank = await sb.run(['collect', 'import', file], at('icbc_op', MAY_FINAL));
    expect(bank.code).toBe(3);
    expect(bank.stderr).toContain('「授信放款」 第 4 行「日期」列（值「2024-05-10」）：2024年5月已结报：补录须由人民银行以更正方式登记');
    expect(bank.stderr).toContain('「授信放款」 第 5 行「日期」列（值「2024-05-20」）：2024年5月已结报');
    const received = await sb.run(['collect', 'import', file, '--received', '2024-06-08'], at('icbc_op', MAY_FINAL));
    expect(received.code).toBe(3);
    expect(received.stderr).toContain('--received 只能由人民银行以更正方式给出');
    const pbocNoReason = await sb.run(['collect', 'import', file], pbocAt(MAY_FINAL));
    expect(pbocNoReason.code).toBe(3);
    expect(pbocNoReason.stderr).toContain('请加 --correction <理由>');
    expect(await corrections()).toEqual([]);
    // the workbook was in fact received on 06-08 (on paper): the 人民银行 says so, with its reason
    const r = await sb.run(['collect', 'import', file, '--received', '2024-06-08', '--correction', '6 月 8 日已收到纸质表，漏导入', '--json'], pbocAt(MAY_FINAL));
    expect(r.code, r.stderr).toBe(0);
    const batch = r.json().batch_id;
    expect(await corrections()).toEqual([{ reason: '6 月 8 日已收到纸质表，漏导入', what: `月度报送表导入（批次 #${batch}）中已结报月份的记录`, actor: 'tester', command: 'collect import', batch_id: batch }]);
    const status = (await ok(sb, ['collect', 'status', '--month', S.MONTH, '--json'], pbocAt(MAY_FINAL))).json();
    expect(status.units.find((u: { unit: string }) => u.unit === S.ICBC)).toMatchObject({ received_on: '2024-06-08', on_time: true });
    // a corrected workbook that would withdraw a May loan is a correction too
    const emptied = await fill(sb, books[S.ICBC]!, () => undefined);
    const withdraw = await sb.run(['collect', 'import', emptied], pbocAt(MAY_FINAL));
    expect(withdraw.code).toBe(3);
    expect(withdraw.stderr).toContain('2024年5月已结报');
    expect(withdraw.stderr).toContain('请加 --correction <理由>');
  });

  it('assign and satisfaction imports: a row in a final month is refused to a unit', async () => {
    const c = await assignedFirm();
    const assign = sb.path('assign.xlsx');
    await writeXlsx(assign, { S: [['统一社会信用代码', '主办行', '日期', '更换理由'], [c, '农行', '2024-07-20', '额度不足']] });
    const a = await sb.run(['assign', 'import', assign], at('hr_jrb'));
    expect(a.code).toBe(3);
    expect(a.stderr).toContain('「日期」列（值「2024-07-20」）：2024年7月已结报：补录须由人民银行以更正方式登记');
    const rating = sb.path('rating.xlsx');
    await writeXlsx(rating, { S: [['统一社会信用代码', '评价', '日期'], [c, '满意', '2024-07-20']] });
    const r = await sb.run(['satisfaction', 'import', rating], at('hr_jrb'));
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('2024年7月已结报：补录须由人民银行以更正方式登记');
    expect((await ok(sb, ['enterprise', 'show', c, '--json'], { today: TODAY })).json()).toMatchObject({ lead_bank: '中国工商银行鄂州分行', ratings: [] });
  });
});
