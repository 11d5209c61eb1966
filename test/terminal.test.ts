/**
 * The real binary in a real pseudo-terminal (test/terminal.py): prompts, Ctrl-C and Esc, answers checked as
 * they are typed, choices narrowed to the actor, and output that fits the terminal. Needs `npm run build`.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayWidth } from '../src/util/text.js';
import { demoSandbox, type Sandbox } from './helpers.js';
import { closePty, CTRL_C, DOWN, ENTER, ESC, SPACE, xypzPty, type Step } from './pty.js';

let sb: Sandbox;
const as = (login: string) => ({ XYPZ_ACTOR: login, XYPZ_DB: sb.db });
const json = async (args: string[]) => {
  const r = await sb.run([...args, '--json'], { env: { XYPZ_ACTOR: 'demo_admin' } });
  expect(r.code, r.stderr).toBe(0);
  return r.json();
};
const auditCount = async () => (await json(['audit', 'log'])).length;
const lines = (screen: string) => screen.split(/\r?\n/);

beforeAll(async () => {
  sb = await demoSandbox();
}, 60_000);
afterAll(() => {
  closePty();
  sb.cleanup();
});

describe('stopping a prompt', () => {
  it('Ctrl-C prints 已取消, exits 130, writes nothing and leaves the cursor shown', async () => {
    const before = await auditCount();
    const r = await xypzPty(sb.dir, ['users', 'disable'], { env: as('demo_admin'), steps: [{ expect: '登录账号', send: 'hr_jxj' }, { expect: 'hr_jxj', send: CTRL_C }] });
    expect(r.pending).toBeNull();
    expect(r.code).toBe(130);
    expect(r.err).toBe('已取消\n');
    expect(r.out.lastIndexOf('\x1b[?25h')).toBeGreaterThan(r.out.lastIndexOf('\x1b[?25l'));
    expect(r.screen).not.toContain('意外错误');
    expect(await auditCount()).toBe(before);
  }, 60_000);

  it('Esc in a choice list cancels too, and the menu is erased', async () => {
    const code = (await json(['enterprise', 'list', '--stage', 'assigned']))[0].code;
    const before = await auditCount();
    const r = await xypzPty(sb.dir, ['loan', code], { env: as('demo_admin'), steps: [{ expect: 'disbursement', send: ESC }] });
    expect(r.code).toBe(130);
    expect(r.err).toBe('已取消\n');
    // the menu was drawn, then erased (erase-line sequences after the last menu item)
    const lastItem = r.out.lastIndexOf('disbursement');
    expect(r.out.slice(lastItem)).toContain('\x1b[2K');
    expect(r.out.slice(lastItem)).toContain('\x1b[?25h');
    expect(await auditCount()).toBe(before);
  }, 60_000);

  it('answering 否 to a confirmation cancels (exit 130), not a refusal', async () => {
    const r = await xypzPty(sb.dir, ['users', 'disable', 'hr_jxj'], { env: as('demo_admin'), steps: [{ expect: '停用后不能再操作', send: `n${ENTER}` }] });
    expect(r.code).toBe(130);
    expect(r.err).toContain('已取消');
    expect((await json(['users', 'show', 'hr_jxj'])).enabled).toBe(true);
  }, 60_000);

  it('no colour in prompts with NO_COLOR', async () => {
    const r = await xypzPty(sb.dir, ['users', 'disable'], { env: { ...as('demo_admin'), NO_COLOR: '1' }, steps: [{ expect: '登录账号', send: CTRL_C }] });
    expect(r.code).toBe(130);
    expect(r.out).not.toMatch(/\x1b\[(?:[0-9;]*)m/);
  }, 60_000);
});

describe('missing arguments are asked for', () => {
  it('users enable and coach done ask for what is missing; a bad answer is refused with the reason', async () => {
    expect((await sb.run(['users', 'disable', 'hr_jxj', '--yes'], { env: { XYPZ_ACTOR: 'demo_admin' } })).code).toBe(0);
    const en = await xypzPty(sb.dir, ['users', 'enable'], { env: as('demo_admin'), steps: [{ expect: '登录账号', send: `hr_jxj${ENTER}` }] });
    expect(en.code, en.err).toBe(0);
    expect(en.screen).toContain('已启用：hr_jxj');
    expect((await json(['users', 'show', 'hr_jxj'])).enabled).toBe(true);

    // With --json the questions go to stderr: stdout is still one JSON document.
    const quiet = await xypzPty(sb.dir, ['users', 'enable', '--json'], { env: as('demo_admin'), steps: [{ expect: '登录账号', send: `hr_jxj${ENTER}` }] });
    expect(quiet.code, quiet.err).toBe(0);
    expect(JSON.parse(quiet.screen)).toEqual({ enabled: [], already_enabled: ['hr_jxj'] });
    expect(quiet.err).toContain('登录账号');

    const item = (await json(['coach', 'list', '--open']))[0];
    const done = await xypzPty(sb.dir, ['coach', 'done'], {
      env: as('demo_admin'),
      steps: [
        { expect: '辅导事项编号', send: `0${ENTER}` },
        { expect: '事项编号 应为正整数', send: `\x15${item.id}${ENTER}` },
      ],
    });
    expect(done.code, done.err).toBe(0);
    expect(done.screen).toContain(`辅导事项 #${item.id}「${item.item}」已办结`);
  }, 60_000);

  it('a department operator is offered only its own district and department', async () => {
    const r = await xypzPty(sb.dir, ['recommend', '--code', '91420703MA4F00001X', '--allow-bad-check', '--name', '鄂州测试科技有限公司'], { env: as('hr_jxj') });
    expect(r.code, r.err).toBe(0);
    expect(r.screen).toContain('所属区域：华容区（唯一可选）');
    expect(r.screen).toContain('推荐部门：华容区经济和信息化局（唯一可选）');
  }, 60_000);

  it('a code whose enterprise already has an open case is refused at the code question, and asked again', async () => {
    const open = (await json(['enterprise', 'list', '--stage', 'assigned']))[0];
    const r = await xypzPty(sb.dir, ['recommend', '--allow-bad-check', '--name', '鄂州第三测试有限公司'], {
      env: as('hr_jxj'),
      steps: [
        { expect: '统一社会信用代码', send: `${open.code}${ENTER}` },
        { expect: '已有办理中的记录', send: `\x1591420703MA4F00003X${ENTER}` },
      ],
    });
    expect(r.code, r.err).toBe(0);
    expect(r.screen).toMatch(/已登记：\S+推荐鄂州第三测试有限公司（91420703MA4F00003X/);
  }, 60_000);

  it('a district is offered only where the actor may act', async () => {
    const filing = await xypzPty(sb.dir, ['pool', 'filing', '--out', '报备表.xlsx'], { env: as('hr_jrb') });
    expect(filing.code, filing.err).toBe(0);
    expect(filing.screen).toContain('区域：华容区（唯一可选）');
    expect(existsSync(sb.path('报备表.xlsx'))).toBe(true);
    // a 金融办 may not set a list's capacity anywhere: nothing to choose, refused before anything is asked
    const none = await xypzPty(sb.dir, ['pool', 'capacity', '12'], { env: as('hr_jrb') });
    expect(none.code).toBe(4);
    expect(none.err).toContain('没有可选的区域');
    const before = (await json(['pool', 'show', '--district', '华容区'])).capacity;
    const admin = await xypzPty(sb.dir, ['pool', 'capacity', String(before + 2)], { env: as('demo_admin'), steps: [{ expect: '临空经济区', send: DOWN + ENTER }] });
    expect(admin.code, admin.err).toBe(0);
    expect(admin.screen).toContain('区域：华容区');
    expect((await json(['pool', 'show', '--district', '华容区'])).capacity).toBe(before + 2);
  }, 60_000);

  it('a district 金融办 is offered its district, and the departments of that district and the city', async () => {
    const r = await xypzPty(sb.dir, ['recommend', '--code', '91420703MA4F00002X', '--allow-bad-check', '--name', '鄂州另一测试有限公司'], {
      env: as('hr_jrb'),
      steps: [{ expect: '华容区发展和改革局', send: ENTER }],
    });
    expect(r.code, r.err).toBe(0);
    expect(r.screen).toContain('所属区域：华容区（唯一可选）');
    expect(r.screen).toContain('鄂州市发展和改革局');
    expect(r.screen).not.toContain('鄂城区');
    expect(r.screen).toMatch(/已登记：\S+推荐鄂州另一测试有限公司/);
  }, 60_000);
});

describe('declare add', () => {
  /** The 20 questions: every answer, with a wrong date and a wrong phone number corrected on the way. */
  const answers: Step[] = [
    { expect: '所属行业', send: DOWN + DOWN + ENTER },
    { expect: '企业规模', send: DOWN + ENTER },
    { expect: '成立日期', send: `2015-02-30${ENTER}` },
    { expect: '不是有效日期', send: `\x152015-04-20${ENTER}` },
    { expect: '注册资本', send: `500${ENTER}` },
    { expect: '法定代表人', send: `王建国${ENTER}` },
    { expect: '联系人', send: `李会计${ENTER}` },
    { expect: '联系电话', send: `12345${ENTER}` },
    { expect: '应为手机号或固定电话', send: `\x1513807110001${ENTER}` },
    { expect: '经营地址', send: `华容区葛店大道 8 号${ENTER}` },
    { expect: '上年营业收入', send: `1200.5${ENTER}` },
    { expect: '上年利润总额', send: `-35${ENTER}` },
    { expect: '从业人数', send: `46${ENTER}` },
    { expect: '上年纳税总额', send: `18.2${ENTER}` },
    { expect: '主要产品或服务', send: `汽车零部件${ENTER}` },
    { expect: '现有贷款余额', send: `120${ENTER}` },
    { expect: '融资需求金额', send: `300${ENTER}` },
    { expect: '需求期限', send: `12${ENTER}` },
    { expect: '资金用途', send: `购置原材料${ENTER}` },
    { expect: '可提供担保方式', send: DOWN + DOWN + SPACE + ENTER },
    { expect: '融资难原因', send: SPACE + ENTER },
    { expect: '是否同意授权', send: ENTER },
  ];

  it('checks each answer as it is typed, asks again with the reason, and saves the whole questionnaire', async () => {
    const c = (await json(['enterprise', 'list', '--stage', 'recommended']))[0];
    const r = await xypzPty(sb.dir, ['declare', 'add', c.code], { env: as('demo_admin'), steps: answers, timeout: 40 });
    expect(r.pending).toBeNull();
    expect(r.code, r.err).toBe(0);
    expect(r.screen).toContain('不是有效日期（YYYY-MM-DD）');
    expect(r.screen).toContain('应为手机号或固定电话（如 0711-1234567）');
    expect(r.screen).toContain(`已保存 ${c.name} 的申报`);
    const d = (await json(['enterprise', 'show', c.code])).declaration;
    expect(d).toMatchObject({ industry: 'C 制造业', size: '小型', founded: '2015-04-20', capital: '500.00', phone: '13807110001', profit: '-35.00', employees: 46, guarantees: ['抵押'], difficulties: ['缺乏抵质押物'], authorised: '是' });
  }, 60_000);

  it('interrupted half-way, it saves nothing', async () => {
    const c = (await json(['enterprise', 'list', '--stage', 'recommended']))[0];
    const before = await auditCount();
    const r = await xypzPty(sb.dir, ['declare', 'add', c.code], { env: as('demo_admin'), steps: [...answers.slice(0, 12), { expect: '从业人数', send: CTRL_C }], timeout: 40 });
    expect(r.code).toBe(130);
    expect(r.err).toBe('已取消\n');
    expect((await json(['enterprise', 'show', c.code])).declaration).toBeNull();
    expect(await auditCount()).toBe(before);
  }, 60_000);
});

describe('output in a terminal', () => {
  it('report tables fit 80 columns; --wide keeps one table', async () => {
    const r = await xypzPty(sb.dir, ['report', 'monthly', '--period', '2024-05'], { env: as('demo_admin'), cols: 80 });
    expect(r.code, r.err).toBe(0);
    expect(Math.max(...lines(r.screen).map(displayWidth))).toBeLessThanOrEqual(80);
    expect(r.out).toContain('\x1b[1m合计');
    const wide = await xypzPty(sb.dir, ['report', 'monthly', '--period', '2024-05', '--wide'], { env: as('demo_admin'), cols: 80 });
    expect(Math.max(...lines(wide.screen).map(displayWidth))).toBeGreaterThan(80);
  }, 60_000);

  it('--help wraps at the terminal width', async () => {
    const r = await xypzPty(sb.dir, ['--help'], { cols: 60 });
    expect(r.code).toBe(0);
    expect(Math.max(...lines(r.screen).map(displayWidth))).toBeLessThanOrEqual(60);
    expect(r.screen).toContain('约 90 家');
  }, 60_000);
});
