/**
 * A refusal must not tell a unit what it may not see. A firm outside the actor's scope (another district's,
 * another bank's, one its department neither recommended nor holds an item of) answers exactly as a credit
 * code nobody recorded: "没有可查看的企业记录：<code>", exit 5, for every command that looks a code up; the
 * same for coaching item numbers and logins. Otherwise a bank could probe public credit codes for names and
 * districts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { code, DECL_HEADER, declRow } from './cases.js';
import { S, scenario } from './collect-helpers.js';
import { addAccounts, as, ok, type Sandbox } from './helpers.js';
import { writeXlsx } from './sheets.js';

const { CODES, NAMES } = S;
const UNKNOWN = code(777);
let sb: Sandbox;

beforeAll(async () => {
  sb = await scenario();
  await addAccounts(sb, [
    { login: 'ec_jrb', org: '鄂城区金融办', kind: '金融办', region: '鄂城区', phone: '13800000001' },
    { login: 'abc_op', org: S.ABC, kind: '金融机构', region: '鄂州市', phone: '13800000002' },
    { login: 'hr_jx', org: '华容区经济和信息化局', kind: '政府部门', region: '华容区', phone: '13800000003' },
    { login: 'ec_jx', org: '鄂城区经济和信息化局', kind: '政府部门', region: '鄂城区', phone: '13800000004' },
    { login: 'hr_jrb', org: S.HR_OFFICE, kind: '金融办', region: '华容区', phone: '13800000005' },
  ]);
}, 120_000);
afterAll(() => sb.cleanup());

/** What a command answers, with the code it was given blanked out. */
async function answer(login: string, args: (c: string) => string[], c: string): Promise<{ code: number; said: string }> {
  const r = await sb.run(args(c), as(login));
  return { code: r.code, said: r.stderr.replaceAll(c, '<code>') };
}

const VERIFY = ['--class', 'financing', '--basic', '正常', '--causes', '无', '--advice', '跟进', '--experts', '张三', '--date', '2024-06-01'];
const LOOKUPS: [string, (c: string) => string[]][] = [
  ['enterprise show', (c) => ['enterprise', 'show', c]],
  ['ledger', (c) => ['ledger', c]],
  ['verify report', (c) => ['verify', 'report', c]],
  ['verify', (c) => ['verify', c, ...VERIFY]],
  ['verify reject', (c) => ['verify', 'reject', c, '--reason', '不符合条件', '--date', '2024-06-01']],
  ['declare add', (c) => ['declare', 'add', c]],
  ['assign', (c) => ['assign', c, '--bank', '工行', '--reason', '更换', '--date', '2024-06-01']],
  ['loan', (c) => ['loan', c, '--kind', 'credit', '--amount', '1', '--date', '2024-06-01']],
  ['coach add', (c) => ['coach', 'add', c, '--item', '补办手续', '--org', '工行', '--date', '2024-06-01']],
  ['reclassify', (c) => ['reclassify', c, '--to', 'cultivation', '--reason', '调整', '--date', '2024-06-01']],
  ['close', (c) => ['close', c, '--outcome', 'withdrawn', '--note', '退出', '--date', '2024-06-01']],
  ['satisfaction', (c) => ['satisfaction', c, '--rating', '满意', '--date', '2024-06-01']],
  ['pool confirm', (c) => ['pool', 'confirm', '--district', '鄂城区', '--meeting', '2024-06-01', c]],
];

describe('a credit code outside the actor’s scope', () => {
  it.each(LOOKUPS)('%s: another district’s firm answers as an unknown code (exit 5)', async (_name, args) => {
    const unknown = await answer('ec_jrb', args, UNKNOWN);
    const other = await answer('ec_jrb', args, CODES.A);
    expect(unknown.code, unknown.said).toBe(5);
    expect(unknown.said).toContain('没有可查看的企业记录：<code>');
    expect(other).toEqual(unknown);
    expect(other.said).not.toContain(NAMES.A);
    expect(other.said).not.toContain('华容区');
  });

  it('another bank’s firm, and a firm a department neither recommended nor holds an item of: the same', async () => {
    for (const [login, firm] of [['abc_op', CODES.A], ['hr_jx', CODES.D]] as const) {
      for (const [name, args] of LOOKUPS.slice(0, 2)) {
        const other = await answer(login, args, firm);
        expect(other, `${login} ${name}`).toEqual(await answer(login, args, UNKNOWN));
        expect(other.code).toBe(5);
      }
    }
    // Within its scope the same commands answer: 农行 leads C; 经信 recommended A.
    await ok(sb, ['enterprise', 'show', CODES.C], as('abc_op'));
    await ok(sb, ['ledger', CODES.A], as('hr_jx'));
    // … and a rule it breaks there is still a refusal by the rule (exit 4).
    const rule = await sb.run(['close', CODES.C, '--outcome', 'withdrawn', '--note', '退出'], as('abc_op'));
    expect(rule.code).toBe(4);
  });

  it('a coaching item of a firm outside the scope answers as an unknown number', async () => {
    const of = async (id: string) => (await sb.run(['coach', 'done', id, '--date', '2024-06-01'], as('ec_jrb'))).stderr.replace(id, '<id>');
    const unknown = await of('999');
    expect(unknown).toContain('没有可查看的辅导事项：#<id>');
    expect(await of('1')).toBe(unknown);
  });

  it('an account of another district answers as an unknown login', async () => {
    const show = (login: string) => sb.run(['users', 'show', login], as('ec_jrb'));
    const unknown = await show('nobody_here');
    const other = await show('hr_jrb');
    expect(unknown.code).toBe(5);
    expect(other.code).toBe(5);
    expect(other.stderr.replace('hr_jrb', '<login>')).toBe(unknown.stderr.replace('nobody_here', '<login>'));
    expect((await sb.run(['users', 'show', 'ec_jx'], as('ec_jrb'))).code).toBe(0);
  });

  it('imports: a row naming a firm outside the scope answers as an unknown code, without its name', async () => {
    const assign = sb.path('assign.xlsx');
    await writeXlsx(assign, { S: [['统一社会信用代码', '企业名称', '主办行', '更换理由'], [CODES.A, '别的公司', '工行', '更换'], [UNKNOWN, '别的公司', '工行', '更换']] });
    const a = await sb.run(['assign', 'import', assign, '--json'], as('ec_jrb'));
    expect(a.code).toBe(3);
    const [onA, onUnknown] = a.json().errors.filter((e: { column: string }) => e.column === '统一社会信用代码');
    expect(onA.reason.replace(CODES.A, '<code>')).toBe(onUnknown.reason.replace(UNKNOWN, '<code>'));
    expect(a.stderr + a.stdout).not.toContain(NAMES.A);

    const declare = sb.path('declare.xlsx');
    await writeXlsx(declare, { S: [DECL_HEADER, declRow(CODES.A, { region: '鄂城区' }), declRow(UNKNOWN, { region: '鄂城区' })] });
    const d = await sb.run(['declare', 'import', declare, '--json'], { ...as('ec_jrb'), today: '2024-03-05' }); // the day of the submissions
    expect(d.code).toBe(3);
    const [dA, dUnknown] = d.json().errors;
    expect(dA.reason).toBe(dUnknown.reason);
    expect(d.stdout + d.stderr).not.toContain('华容区');
  });

  it('recommend: a firm already on file elsewhere is refused without its name, district or stage', async () => {
    // 鄂城区经信 recommends 华容区's firm A as its own district's; 华容区经信 recommends D, which 科技 recommended.
    const elsewhere = await sb.run(['recommend', '--code', CODES.A, '--name', '鄂州某某有限公司', '--district', '鄂城区', '--dept', '经信'], as('ec_jx'));
    expect(elsewhere.code).toBe(3);
    expect(elsewhere.stderr).toContain(`统一社会信用代码为 ${CODES.A} 的企业已登记在其他区，不能由鄂城区推荐`);
    const open = await sb.run(['recommend', '--code', CODES.D, '--name', NAMES.D, '--district', '华容区', '--dept', '经信', '--over-quota', '重点'], as('hr_jx'));
    expect(open.code).toBe(4);
    expect(open.stderr).toContain(`统一社会信用代码为 ${CODES.D} 的企业已有办理中的记录，不能重复推荐`);
    for (const r of [elsewhere, open]) {
      expect(r.stderr).not.toMatch(new RegExp(`${NAMES.A}|${NAMES.D}|华容区科学技术局|已确定主办行|登记在华容区`));
    }
    // The 人民银行, who sees every firm, is told whose it is.
    const pboc = await sb.run(['recommend', '--code', CODES.A, '--name', NAMES.A, '--district', '鄂城区', '--dept', '经信']);
    expect(pboc.stderr).toContain(`${NAMES.A}（${CODES.A}）登记在华容区`);
  });
});
