/**
 * Who may import what (docs/roles.md): a 查询员 imports nothing, of any kind, not even with --partial or
 * --dry-run, and leaves no trace (no batch record, no audit entry); a unit runs only the imports whose rows
 * it could enter by command; everything a returned workbook would replace (loans withdrawn, closings
 * reopened, the return and its received date) is authorised for the importing account before anything is
 * written.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { code, declRow, DECL_HEADER, nameOf } from './cases.js';
import { feedback, fill, loans, make, progress, S, scenario } from './collect-helpers.js';
import { addAccounts, as, ok, type Sandbox } from './helpers.js';
import { USER_HEADER, userRow, writeXlsx } from './sheets.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

const { CODES, ICBC, ABC, MONTH } = S;

/** The scenario, with a 人民银行 查询员, a 人民银行 操作员, a department, and the two banks' operators. */
async function withStaff(): Promise<Sandbox> {
  const s = await scenario();
  await addAccounts(s, [
    { login: 'pboc_view', org: '鄂州人行', kind: '人民银行', region: '鄂州市', role: '查询员', phone: '13800000001' },
    { login: 'pboc_op', org: '鄂州人行', kind: '人民银行', region: '鄂州市', role: '操作员', phone: '13800000002' },
    { login: 'icbc_op', org: ICBC, kind: '金融机构', region: '鄂州市', phone: '13800000003' },
    { login: 'abc_op', org: ABC, kind: '金融机构', region: '鄂州市', phone: '13800000004' },
    { login: 'hr_jx', org: '华容区经济和信息化局', kind: '政府部门', region: '华容区', phone: '13800000005' },
  ]);
  return s;
}

/** One file of each kind of import, each row of which an administrator could import. */
async function filesOfEveryKind(s: Sandbox): Promise<Record<string, string>> {
  const f = (name: string) => s.path(name);
  const fresh = code(901);
  await writeXlsx(f('users.xlsx'), { S: [USER_HEADER, userRow(9, { login: 'new_user', phone: '13900000009' })] });
  await writeXlsx(f('orgs.xlsx'), { S: [['机构名称', '机构类型', '所属区域'], ['鄂州某村镇银行', '金融机构', '鄂州市']] });
  await writeXlsx(f('recommend.xlsx'), { S: [['统一社会信用代码', '企业名称', '所在区', '推荐部门', '推荐日期', '超额理由'], [fresh, nameOf(fresh), '华容区', '经信', '2024-06-01', '省级重点项目配套企业']] });
  await writeXlsx(f('declare.xlsx'), { S: [DECL_HEADER, declRow(code(902))] });
  await writeXlsx(f('assign.xlsx'), { S: [['统一社会信用代码', '主办行', '日期', '更换理由'], [CODES.C, '工行', '2024-06-01', '农行退出']] });
  await writeXlsx(f('satisfaction.xlsx'), { S: [['统一社会信用代码', '评价', '日期'], [CODES.A, '满意', '2024-06-01']] });
  await writeXlsx(f('feedback.xlsx'), { S: [['报送单位', '月份', '反馈内容', '报送日期'], ['华容区', MONTH, '本月走访企业 4 家。', '2024-06-05']] });
  const books = await make(s);
  const collect = await fill(s, books[ICBC]!, (wb) => loans(wb, [[CODES.A, '授信', 500, '2024-05-10']]));
  return {
    users: f('users.xlsx'),
    org: f('orgs.xlsx'),
    recommend: f('recommend.xlsx'),
    declare: f('declare.xlsx'),
    assign: f('assign.xlsx'),
    satisfaction: f('satisfaction.xlsx'),
    feedback: f('feedback.xlsx'),
    collect,
  };
}

describe('a 查询员', () => {
  it('imports nothing of any kind, even with --partial or --dry-run: exit 4, no batch, no audit entry', async () => {
    sb = await withStaff();
    const files = await filesOfEveryKind(sb);
    const before = await sb.fingerprint();
    for (const [command, file] of Object.entries(files)) {
      for (const flag of ['--partial', '--dry-run', '--json']) {
        const r = await sb.run([command, 'import', file, flag], as('pboc_view'));
        expect(r.code, `${command} import ${flag}: ${r.stderr}`).toBe(4);
        expect(r.stderr).toMatch(/中国人民银行鄂州市分行的查询员不能(导入|维护机构基础数据)/);
        expect(r.stderr).toContain('查询员只能查询');
      }
    }
    expect(await sb.fingerprint()).toBe(before);
    // The same files are importable by an administrator: the refusals above were the account's, not the files'.
    // (on 2024-06-05, the day the feedback sheet says it was received, while May is still open)
    for (const command of ['recommend', 'satisfaction', 'feedback', 'collect']) await ok(sb, [command, 'import', files[command]!, '--dry-run'], { today: '2024-06-05' });
  }, 120_000);

  it('cannot withdraw a bank’s loans or mark its workbook returned by importing a copy', async () => {
    sb = await withStaff();
    const books = await make(sb);
    const filled = await fill(sb, books[ICBC]!, (wb) => {
      loans(wb, [
        [CODES.A, '授信', 500, '2024-05-10'],
        [CODES.B, '放款', 80, '2024-05-20'],
      ]);
      progress(wb, 2, '办结', '2024-05-28');
      feedback(wb, '本月走访主办企业 3 家。');
    });
    await ok(sb, ['collect', 'import', filled], { ...as('pboc_op'), today: S.RECEIVED });
    const emptied = await fill(sb, books[ICBC]!, () => undefined);
    const before = await sb.fingerprint();
    const withdraw = await sb.run(['collect', 'import', emptied], as('pboc_view'));
    expect(withdraw.code, withdraw.stderr).toBe(4);
    expect(withdraw.stdout).not.toContain('撤回');
    expect(await sb.fingerprint()).toBe(before);

    // A unit that has not sent its workbook stays overdue: a 查询员 cannot record it as returned.
    const office = books['华容区金融办']!;
    const overdue = async () => (await ok(sb, ['report', 'overdue', '--month', MONTH, '--json'])).json().collection.map((u: { unit: string }) => u.unit);
    expect(await overdue()).toContain('华容区金融办');
    const returned = await sb.run(['collect', 'import', office], as('pboc_view'));
    expect(returned.code).toBe(4);
    expect(await overdue()).toContain('华容区金融办');
    expect(await sb.fingerprint()).toBe(before);
  }, 120_000);
});

describe('each import is open to the units whose rows it holds', () => {
  it('a bank cannot run a recommendation or lead-bank import, a department no lead-bank import, a 人民银行 操作员 no account import', async () => {
    sb = await withStaff();
    const files = await filesOfEveryKind(sb);
    const before = await sb.fingerprint();
    const refused = async (login: string, command: string, text: string) => {
      const r = await sb.run([command, 'import', files[command]!, '--partial'], as(login));
      expect(r.code, `${login} ${command} import: ${r.stderr}`).toBe(4);
      expect(r.stderr).toContain(text);
    };
    await refused('icbc_op', 'recommend', '中国工商银行鄂州分行的操作员不能导入推荐名单');
    await refused('icbc_op', 'assign', '不能导入主办行确定表');
    await refused('hr_jx', 'assign', '华容区经济和信息化局的操作员不能导入主办行确定表');
    await refused('hr_jx', 'satisfaction', '不能导入满意度调查结果');
    await refused('pboc_op', 'users', '仅限人民银行管理员');
    expect(await sb.fingerprint()).toBe(before);
    // A department imports its own recommendations (its rows are checked as `recommend` checks them).
    const own = await sb.run(['recommend', 'import', files.recommend!, '--json'], as('hr_jx'));
    expect(own.code, own.stderr).toBe(0);
    expect(own.json()).toMatchObject({ added: 1 });
  }, 120_000);
});

describe('what a corrected workbook replaces', () => {
  it('is authorised like adding it: a bank no longer leading a firm cannot withdraw its loan; the 人民银行 can', async () => {
    sb = await withStaff();
    const books = await make(sb);
    const first = await fill(sb, books[ICBC]!, (wb) =>
      loans(wb, [
        [CODES.A, '授信', 500, '2024-05-10'],
        [CODES.B, '放款', 80, '2024-05-20'],
      ]),
    );
    // all on 2024-06-10, the last day May is open
    await ok(sb, ['collect', 'import', first], { ...as('icbc_op'), today: S.RECEIVED });
    // A changes lead bank in June; 工行's corrected May workbook leaves out its 授信 to A.
    await ok(sb, ['assign', CODES.A, '--bank', '农行', '--date', '2024-06-10', '--reason', '企业申请更换'], { today: '2024-06-10' });
    const corrected = await fill(sb, books[ICBC]!, (wb) => loans(wb, [[CODES.B, '放款', 80, '2024-05-20']]));
    const before = await sb.fingerprint();
    const r = await sb.run(['collect', 'import', corrected, '--json'], { ...as('icbc_op'), today: S.RECEIVED });
    expect(r.code, r.stderr).toBe(4);
    expect(JSON.parse(r.stderr).error.message).toContain('中国工商银行鄂州分行的操作员不能登记华容区企业的授信或放款（只能办理本行主办的企业）');
    expect(await sb.fingerprint()).toBe(before);
    const byPboc = await sb.run(['collect', 'import', corrected, '--json'], { ...as('pboc_op'), today: S.RECEIVED });
    expect(byPboc.code, byPboc.stderr).toBe(0);
    expect(byPboc.json()).toMatchObject({ withdrawn: 1 });
  }, 120_000);
});

describe('a refusal names the unit whose feedback it is', () => {
  it('a bank reporting another bank’s feedback', async () => {
    sb = await withStaff();
    const r = await sb.run(['feedback', 'add', '--from', '农行', '--month', MONTH, '--text', '本月情况'], as('icbc_op'));
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('中国工商银行鄂州分行的操作员不能报送中国农业银行鄂州分行的月度反馈（只能报送本行的反馈）');
  });
});
