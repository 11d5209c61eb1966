/**
 * Each unit's everyday commands, run on the server as that unit's own login (not the schema owner, which the
 * policies do not bind): a firm is taken from recommendation to a loan, a coaching item and a rating by the
 * logins that do each step in practice, and the imports, monthly workbooks and reports each role may run work
 * through the row-level security, column grants and rule triggers. Every command the CLI allows a role must
 * succeed as that login; what it reads must be what the role may see.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { code, DECL_HEADER, declRow, nameOf, VERIFY } from './cases.js';
import { fill, loans, make, progress } from './collect-helpers.js';
import { demoSandbox, type RunResult, type Sandbox } from './helpers.js';
import { keepLogins, makeLogins, runAs } from './real-logins.js';
import { USER_HEADER, userRow, writeXlsx, type CellInput } from './sheets.js';

const ADMIN = { env: { XYPZ_ACTOR: 'demo_admin' } };
const tag = randomBytes(3).toString('hex');

const L = {
  pbocOp: `wo_${tag}`,
  city: `wc_${tag}`,
  district: `wd_${tag}`,
  dept: `wp_${tag}`,
  bank: `wb_${tag}`,
  viewer: `wv_${tag}`,
};
type Who = keyof typeof L;

const BANK = '中国工商银行鄂州分行';
const DEPT = '华容区经济和信息化局';
const HR = '华容区';

let sb: Sandbox;
const passwords = new Map<string, string>();

beforeAll(async () => {
  sb = await demoSandbox();
  // Each login connects once and keeps its connection between its commands: what is tested here is what the
  // policies let it do; logging in (its password, a disabled account) is test/pg-logins.test.ts's.
  keepLogins(sb);
  const rows = [
    { login: L.pbocOp, org: '中国人民银行鄂州市分行', kind: '人民银行', region: '鄂州市', role: '操作员' },
    { login: L.city, org: '鄂州市金融办', kind: '金融办', region: '鄂州市', role: '操作员' },
    { login: L.district, org: '华容区金融办', kind: '金融办', region: HR, role: '操作员' },
    { login: L.dept, org: DEPT, kind: '政府部门', region: HR, role: '操作员' },
    { login: L.bank, org: BANK, kind: '金融机构', region: '鄂州市', role: '操作员' },
    { login: L.viewer, org: '华容区金融办', kind: '金融办', region: HR, role: '查询员' },
  ];
  for (const [login, password] of await makeLogins(sb, rows, '1390001')) passwords.set(login, password);
}, 180_000);

afterAll(() => sb?.cleanup());

/** The CLI as `who`'s login, on `today` (the CLI's and the server's clock; default TODAY). */
function cli(who: Who, args: string[], today?: string): Promise<RunResult> {
  return runAs(sb, L[who], passwords.get(L[who])!, args, today);
}

/**
 * Runs each step as its login (on its day, if given); the steps that failed, with what the CLI said. With
 * `results`, what each step gave is kept there, by login and arguments.
 */
async function failures(steps: ([Who, string[]] | [Who, string[], string])[], results?: Map<string, RunResult>): Promise<string[]> {
  const failed: string[] = [];
  for (const [who, args, today] of steps) {
    const r = await cli(who, args, today);
    results?.set(`${who} ${args.join(' ')}`, r);
    if (r.code !== 0) failed.push(`${who}: ${args.join(' ')} → ${r.code}: ${r.stderr.trim()}`);
  }
  return failed;
}

let files = 0;
async function sheet(name: string, rows: CellInput[][]): Promise<string> {
  const f = sb.path(`sheet-${++files}.xlsx`);
  await writeXlsx(f, { [name]: rows });
  return f;
}

const [A, B, C, D] = [1, 2, 3, 4].map((n) => code(88000 + n + Number.parseInt(tag.slice(0, 2), 16))) as [string, string, string, string];

describe('a firm from recommendation to a loan, each step by the login that does it', () => {
  it('recommend, recommend import, declare import, verify, pool confirm, assign, loan, coach, close, satisfaction', async () => {
    const recs = await sheet('名单', [
      ['信用培植工程企业推荐名单'],
      ['序号', '统一社会信用代码', '企业名称', '所在区', '推荐部门', '推荐日期', '推荐理由', '超额理由'],
      [1, B, nameOf(B), HR, DEPT, '2024-06-01', '订单增长', null],
    ]);
    const recsByDistrict = await sheet('名单', [
      ['信用培植工程企业推荐名单'],
      ['序号', '统一社会信用代码', '企业名称', '所在区', '推荐部门', '推荐日期', '推荐理由', '超额理由'],
      [1, C, nameOf(C), HR, '华容区科学技术局', '2024-06-01', '订单增长', null],
      [2, D, nameOf(D), HR, '华容区科学技术局', '2024-06-01', '订单增长', null],
    ]);
    const assigns = await sheet('名单', [
      ['主办金融机构确定表'],
      ['序号', '统一社会信用代码', '企业名称', '主办行', '方式', '日期', '更换理由'],
      [1, D, nameOf(D), '中国工商银行鄂州分行', '协商指定', '2024-06-08', null],
    ]);
    const decl = await sheet('答卷数据', [DECL_HEADER, ...[A, B, C, D].map((c, i) => declRow(c, { serial: i + 1, at: '2024-06-03 09:00:00' }))]);
    const returns = await sheet('问卷回收', [
      ['序号', '1、统一社会信用代码', '2、企业名称', '3、您对主办金融机构的服务是否满意', '提交答卷时间', '来源'],
      [1, A, nameOf(A), '满意', '2024-06-14', '微信'],
    ]);
    const failed = await failures([
      ['dept', ['recommend', '--code', A, '--name', nameOf(A), '--district', HR, '--dept', '经信', '--date', '2024-06-01']],
      ['dept', ['recommend', 'import', recs]],
      ['district', ['recommend', 'import', recsByDistrict]],
      ['district', ['declare', 'import', decl]],
      ['district', ['verify', A, '--class', 'financing', ...VERIFY, '--date', '2024-06-05']],
      ['district', ['verify', B, '--class', 'financing', ...VERIFY, '--date', '2024-06-05']],
      ['pbocOp', ['verify', C, '--class', 'cultivation', ...VERIFY, '--date', '2024-06-05']],
      ['district', ['verify', D, '--class', 'financing', ...VERIFY, '--date', '2024-06-05']],
      ['district', ['verify', 'report', A, '--out', sb.path('核查.md')]],
      ['pbocOp', ['pool', 'capacity', '80', '--district', HR, '--date', '2024-06-06']],
      ['district', ['pool', 'confirm', '--district', HR, '--meeting', '2024-06-07', A, B, D]],
      ['pbocOp', ['pool', 'confirm', '--district', HR, '--meeting', '2024-06-07', C]],
      ['district', ['pool', 'filing', '--district', HR, '--out', sb.path('报备.xlsx'), '--filed-on', '2024-06-15']],
      ['district', ['assign', A, '--bank', '工行', '--date', '2024-06-08']],
      ['pbocOp', ['assign', B, '--bank', '工行', '--date', '2024-06-08']],
      ['district', ['assign', C, '--bank', '工行', '--date', '2024-06-08']],
      ['district', ['assign', C, '--bank', '农行', '--mode', 'designated', '--date', '2024-06-09', '--reason', '企业申请更换']],
      ['district', ['assign', 'import', assigns]],
      ['bank', ['loan', A, '--kind', 'credit', '--amount', '100', '--date', '2024-06-10']],
      ['bank', ['loan', A, '--kind', 'disbursement', '--amount', '80', '--date', '2024-06-11']],
      ['district', ['loan', B, '--kind', 'credit', '--amount', '50', '--date', '2024-06-10']],
      ['district', ['coach', 'add', A, '--item', '补办环评手续', '--org', '经信', '--date', '2024-06-10']],
      ['bank', ['coach', 'add', A, '--item', '补办抵押登记', '--org', '工行', '--date', '2024-06-10']],
      ['district', ['coach', 'add', B, '--item', '办理排污许可', '--org', '经信', '--date', '2024-06-10']],
      ['district', ['reclassify', B, '--to', 'cultivation', '--reason', '经营规模小', '--date', '2024-06-11']],
      ['district', ['satisfaction', A, '--rating', '满意', '--date', '2024-06-12']],
      ['district', ['satisfaction', 'import', returns]],
      ['district', ['ledger', A]],
      ['bank', ['ledger', A]],
      ['district', ['ledger', '--district', HR, '--out', sb.path('台账.xlsx')]],
      ['bank', ['enterprise', 'show', A]],
      ['dept', ['enterprise', 'show', A]],
      ['viewer', ['enterprise', 'show', A]],
      ['city', ['enterprise', 'show', A]],
    ]);
    expect(failed).toEqual([]);
    const items = (await cli('dept', ['coach', 'list', '--json'])).json() as { id: number; item: string }[];
    const mine = items.find((i) => i.item === '补办环评手续');
    expect(mine, JSON.stringify(items)).toBeDefined();
    const bankItems = (await cli('bank', ['coach', 'list', '--json'])).json() as { id: number; item: string }[];
    const bankItem = bankItems.find((i) => i.item === '补办抵押登记');
    expect(bankItem, JSON.stringify(bankItems)).toBeDefined();
    expect(
      await failures([
        ['dept', ['coach', 'done', String(mine!.id), '--date', '2024-06-13', '--note', '已办结']],
        ['bank', ['coach', 'done', String(bankItem!.id), '--date', '2024-06-13']],
        ['district', ['close', B, '--outcome', 'withdrawn', '--note', '企业主动退出', '--date', '2024-06-14']],
      ]),
    ).toEqual([]);
    // a department closes its item in its monthly workbook
    expect(await failures([['district', ['coach', 'add', D, '--item', '补办安全评价', '--org', '经信', '--date', '2024-06-10']]])).toEqual([]);
    const item = ((await cli('dept', ['coach', 'list', '--json'])).json() as { id: number; item: string }[]).find((i) => i.item === '补办安全评价');
    expect(item).toBeDefined();
    const books = await make(sb, '2024-06', ['--unit', DEPT], ADMIN);
    const done = await fill(sb, Object.values(books)[0]!, (wb) => progress(wb, item!.id, '办结', '2024-06-14'));
    const back = await cli('dept', ['collect', 'import', done, '--received', '2024-06-15', '--json']);
    expect(back.code, back.stderr).toBe(0);
    const after = ((await cli('dept', ['coach', 'list', '--json'])).json() as { id: number; status: string }[]).find((i) => i.id === item!.id);
    expect(after?.status).toBe('done');
    // its corrected workbook takes the closing back: the item is open again
    const undone = await fill(sb, Object.values(books)[0]!, (wb) => progress(wb, item!.id, '进行中'));
    const reopened = await cli('dept', ['collect', 'import', undone, '--received', '2024-06-15', '--json']);
    expect(reopened.code, reopened.stderr).toBe(0);
    const open = ((await cli('dept', ['coach', 'list', '--json'])).json() as { id: number; status: string }[]).find((i) => i.id === item!.id);
    expect(open?.status).toBe('open');
    // an item the department could not finish
    expect(await failures([['district', ['coach', 'add', A, '--item', '补办用地手续', '--org', '经信', '--date', '2024-06-10']]])).toEqual([]);
    const land = ((await cli('dept', ['coach', 'list', '--json'])).json() as { id: number; item: string }[]).find((i) => i.item === '补办用地手续');
    expect(await failures([['dept', ['coach', 'fail', String(land!.id), '--note', '用地指标不足', '--date', '2024-06-13']]])).toEqual([]);
    const notDone = ((await cli('dept', ['coach', 'list', '--json'])).json() as { id: number; status: string }[]).find((i) => i.id === land!.id);
    expect(notDone?.status).toBe('failed');
    expect((await sb.run(['audit', 'verify'], ADMIN)).code).toBe(0);
  });
});

describe('imports, monthly workbooks, reports and checks, each as the role that runs them', () => {
  it('users import of its own units by a district; org import by the PBOC operator', async () => {
    const users = sb.path('hr-users.xlsx');
    await writeXlsx(users, { S: [USER_HEADER, userRow(1, { login: `wn_${tag}`, org: '华容区金融办', kind: '金融办', region: HR, role: '查询员', phone: '13900029999' })] });
    const orgs = sb.path('orgs.csv');
    writeFileSync(orgs, `\ufeff机构名称,机构类型,所属区域,别名\n招商银行鄂州分行${tag},金融机构,鄂州市,招行${tag}\n`);
    expect(
      await failures([
        ['district', ['users', 'import', users]],
        ['district', ['users', 'list']],
        ['district', ['users', 'show', `wn_${tag}`]],
        ['district', ['users', 'export', sb.path('hr-export.xlsx')]],
        ['pbocOp', ['org', 'import', orgs]],
        ['pbocOp', ['org', 'list']],
      ]),
    ).toEqual([]);
  });

  it('collect make and import by the unit itself; feedback of its own', async () => {
    const madeBy = async (who: Who, unit: string) => {
      const r = await cli(who, ['collect', 'make', '--month', '2024-05', '--out', sb.path(`made-${who}`), '--unit', unit, '--json']);
      expect(r.code, `${who}: collect make: ${r.stderr}`).toBe(0);
      return (r.json().workbooks as { file: string }[]).map((w) => w.file);
    };
    const all = await make(sb, '2024-05', [], ADMIN);
    expect(Object.keys(all).length).toBeGreaterThan(0);
    const district = await madeBy('district', '华容区金融办');
    const bank = Object.entries(all).filter(([u]) => u.includes('工商银行')).map(([, f]) => f);
    expect(bank, Object.keys(all).join('、')).toHaveLength(1);
    // returned on 2024-06-05, before May's cut-off (a workbook is received the day it is entered)
    const steps: ([Who, string[]] | [Who, string[], string])[] = [
      ['district', ['collect', 'import', ...district], '2024-06-05'],
      ['bank', ['collect', 'import', ...bank], '2024-06-05'],
      ['bank', ['feedback', 'add', '--from', '工行', '--month', '2024-05', '--text', '走访企业']],
      ['district', ['feedback', 'add', '--from', HR, '--month', '2024-05', '--text', '推进顺利']],
      ['pbocOp', ['collect', 'status', '--month', '2024-05']],
      ['district', ['collect', 'status', '--month', '2024-05']],
      ['pbocOp', ['feedback', 'missing', '--month', '2024-05']],
    ];
    const deptUnit = Object.keys(all).find((u) => u === DEPT);
    if (deptUnit) steps.push(['dept', ['collect', 'import', all[deptUnit]!], '2024-06-05']);
    expect(await failures(steps)).toEqual([]);
  });

  it("a bank's filled workbook adds its loans, and its corrected workbook withdraws them", async () => {
    const firms = (await cli('bank', ['enterprise', 'list', '--stage', 'assigned', '--json'])).json() as { code: string }[];
    expect(firms.length).toBeGreaterThan(0);
    const firm = firms[0]!.code;
    const all = await make(sb, '2024-05', [], ADMIN);
    const book = Object.entries(all).find(([u]) => u.includes('工商银行'))![1];
    const loansOf = async () => ((await cli('bank', ['enterprise', 'show', firm, '--json'])).json().loans as unknown[]).length;
    const before = await loansOf();
    const filled = await fill(sb, book, (wb) => loans(wb, [[firm, '授信', 10, '2024-05-20', 3.95, 12, '信用', '否']]));
    const r = await cli('bank', ['collect', 'import', filled, '--json'], '2024-06-06');
    expect(r.code, r.stderr).toBe(0);
    expect(await loansOf()).toBe(before + 1);
    const corrected = await fill(sb, book, () => undefined);
    const again = await cli('bank', ['collect', 'import', corrected, '--json'], '2024-06-07');
    expect(again.code, again.stderr).toBe(0);
    expect(again.json()).toMatchObject({ withdrawn: 1 });
    expect(await loansOf()).toBe(before);
    // the server recorded the withdrawal, as the bank's login, with the command it gave
    const entries = await sb.sql<{ actor: string; command: string; entity: string; after: string }>(
      `select actor, command, entity, after from audit_log where actor = '${L.bank}' and entity in ('loan', 'loan_withdrawn') order by id desc limit 2`,
    );
    expect(entries.map((e) => [e.actor, e.command, e.entity, JSON.parse(e.after).op])).toEqual([
      [L.bank, 'collect import', 'loan', 'delete'],
      [L.bank, 'collect import', 'loan_withdrawn', 'insert'],
    ]);
    expect((await sb.run(['audit', 'verify'], ADMIN)).code).toBe(0);
  });

  it("the city's 金融办 works in every district; a 查询员 reads its unit's firms", async () => {
    const users = sb.path('ec-users.xlsx');
    await writeXlsx(users, { S: [USER_HEADER, userRow(1, { login: `wm_${tag}`, org: '鄂城区金融办', kind: '金融办', region: '鄂城区', role: '操作员', phone: '13900039999' })] });
    const firms = (await cli('city', ['enterprise', 'list', '--district', '鄂城区', '--stage', 'assigned', '--json'])).json() as { code: string }[];
    expect(firms.length).toBeGreaterThan(0);
    const firm = firms[0]!.code;
    expect(
      await failures([
        ['city', ['users', 'import', users]],
        ['city', ['satisfaction', firm, '--rating', '基本满意', '--date', '2024-06-14']],
        ['city', ['feedback', 'add', '--from', '鄂城区', '--month', '2024-05', '--text', '代报']],
        ['city', ['coach', 'add', firm, '--item', '补办消防验收', '--org', '工行', '--date', '2024-06-14']],
        ['city', ['ledger', firm]],
        ['city', ['users', 'list']],
        ['viewer', ['enterprise', 'list', '--json']],
        ['viewer', ['ledger', '--district', HR, '--out', sb.path('台账-查询.xlsx')]],
        ['viewer', ['coach', 'list']],
      ]),
    ).toEqual([]);
    const seen = (await cli('viewer', ['enterprise', 'list', '--json'])).json() as unknown[];
    const office = (await cli('district', ['enterprise', 'list', '--json'])).json() as unknown[];
    expect(seen).toEqual(office);
  });

  it('feedback import by a bank and a district, declare import by the PBOC operator, recommend import by the city', async () => {
    const fb = (rows: CellInput[][]) => sheet('反馈', [['报送单位', '月份', '反馈内容', '报送日期'], ...rows]);
    const bankFb = await fb([['工行', '2024-04', '走访企业 3 家', '2024-05-06']]);
    const districtFb = await fb([[HR, '2024-04', '召开联合协商会议', '2024-05-05']]);
    const cityFb = await fb([['鄂城区', '2024-04', '推进', '2024-05-05']]); // the districts' (not the banks')
    const [E, F] = [5, 6].map((n) => code(88000 + n + Number.parseInt(tag.slice(0, 2), 16))) as [string, string];
    const recs = await sheet('名单', [
      ['信用培植工程企业推荐名单'],
      ['序号', '统一社会信用代码', '企业名称', '所在区', '推荐部门', '推荐日期', '推荐理由', '超额理由'],
      [1, E, nameOf(E), HR, '华容区发展和改革局', '2024-06-01', '订单增长', null],
      [2, F, nameOf(F), HR, '华容区发展和改革局', '2024-06-01', '订单增长', null],
    ]);
    const decl = await sheet('答卷数据', [DECL_HEADER, ...[E, F].map((c, i) => declRow(c, { serial: i + 1, at: '2024-06-03 09:00:00' }))]);
    expect(
      await failures([
        // each entered on the day it gives (a feedback is submitted the day it is entered)
        ['bank', ['feedback', 'import', bankFb], '2024-05-06'],
        ['district', ['feedback', 'import', districtFb], '2024-05-05'],
        ['city', ['feedback', 'import', cityFb], '2024-05-05'],
        ['city', ['recommend', 'import', recs]],
        ['pbocOp', ['declare', 'import', decl]],
        ['district', ['verify', 'reject', E, '--reason', '经营异常，暂不入选', '--date', '2024-06-05']],
      ]),
    ).toEqual([]);
  });

  it('reports, enterprise lists and audit verify as every role; db check as a login', async () => {
    const steps: [Who, string[]][] = [];
    for (const who of Object.keys(L) as Who[]) {
      steps.push([who, ['enterprise', 'list']], [who, ['coach', 'list']]);
      // the reports and the lists are for the PBOC and the finance offices (the CLI refuses a bank or a department)
      if (who === 'bank' || who === 'dept') continue;
      for (const r of [['monthly', '2024-05'], ['quarterly', '2024Q2'], ['annual', '2024'], ['overdue']]) {
        steps.push([who, ['report', r[0]!, ...(r[1] ? ['--period', r[1]] : []), '--json']]);
      }
      steps.push([who, ['pool', 'show']], [who, ['feedback', 'show', '--month', '2024-05']]);
    }
    steps.push(['pbocOp', ['audit', 'verify']], ['pbocOp', ['audit', 'log']]);
    // Every step only reads: the reports compared below are those the steps gave, each run once.
    const gave = new Map<string, RunResult>();
    expect(await failures(steps, gave)).toEqual([]);
    const report = async (who: Who, args: string[]) => gave.get(`${who} ${args.join(' ')}`) ?? cli(who, args);
    // a report counts what the role may see: a district's is its district's, as the PBOC sees that district
    for (const r of [['monthly', '2024-05'], ['quarterly', '2024Q2'], ['annual', '2024'], ['overdue']]) {
      const args = ['report', r[0]!, ...(r[1] ? ['--period', r[1]] : []), '--json'];
      const district = await report('district', args);
      const pboc = await report('pbocOp', [...args, '--district', HR]);
      // the units owing a workbook in one order, whoever asks
      expect(district.json(), r[0]).toEqual(pboc.json());
      // the city's 金融办 sees the whole city, as the PBOC does
      const city = await report('city', args);
      const whole = await report('pbocOp', args);
      expect(city.json(), `city: ${r[0]}`).toEqual(whole.json());
    }
    // the units that have not fed back: the district's own, and the banks leading its firms (a bank leading
    // none there is not the district's to chase, and its login could not see that bank's firms anyway)
    const ABC = '中国农业银行鄂州分行';
    await sb.sql(`delete from feedback where from_kind = 'bank' and month = '2024-05' and from_key = (select id::text from org where name = '${ABC}')`);
    const missing = (await cli('district', ['feedback', 'missing', '--month', '2024-05', '--json'])).json() as { kind: string; name: string }[];
    const all = (await cli('pbocOp', ['feedback', 'missing', '--month', '2024-05', '--json'])).json() as { kind: string; name: string }[];
    const leadingHere = (
      await sb.sql<{ name: string }>(`select distinct o.name from bank_assignment a join case_file c on c.id = a.case_id join org o on o.id = a.bank_id
        where c.region_code = '420703' and a.assigned_on <= '2024-05-31' and (a.ended_on is null or a.ended_on > '2024-05-31')
          and (c.closed_on is null or c.closed_on >= '2024-05-01')`)
    ).map((r) => r.name);
    expect(leadingHere).not.toContain(ABC);
    expect(all.map((f) => f.name)).toContain(ABC);
    expect(missing).toEqual(all.filter((f) => (f.kind === 'bank' ? leadingHere.includes(f.name) : f.name === HR)));
    // every change the logins made through xypz is recorded by the server with the command that made it
    const logins = Object.values(L).map((l) => `'${l}'`).join(', ');
    const bare = await sb.sql<{ entity: string; after: string }>(`select entity, after from audit_log where actor in (${logins}) and command = '（直接改动数据库，未经 xypz）'`);
    expect(bare).toEqual([]);
    const recorded = await sb.sql<{ command: string }>(`select distinct command from audit_log where actor in (${logins}) order by 1`);
    expect(recorded.map((r) => r.command)).toEqual(expect.arrayContaining(['assign', 'collect import', 'loan', 'recommend', 'verify', 'coach fail', 'users import']));
    const backup = await cli('pbocOp', ['db', 'backup', sb.path('b.dump')]);
    expect(backup.code, backup.stderr).toBe(4);
    const check = await cli('pbocOp', ['db', 'check']);
    expect(check.code).toBe(4);
    expect(check.stderr).toContain('维护连接');
  });
});
