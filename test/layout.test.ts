/**
 * The terminal, in-process: tables that fit a width, colour that means something, help, periods, missing
 * values listed at once, completion candidates, names read in the firm's own district.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, type Entry } from '../src/commands/index.js';
import { displayWidth } from '../src/util/text.js';
import { readPeriod } from '../src/util/dates.js';
import { wrapText } from '../src/util/wrap.js';
import { demoSandbox, type RunOptions, type Sandbox } from './helpers.js';

let sb: Sandbox;
const admin = { env: { XYPZ_ACTOR: 'demo_admin' } };
const run = (args: string[], opts: RunOptions = {}) => sb.run(args, { ...opts, env: { ...admin.env, ...opts.env } });
const widest = (s: string) => Math.max(...s.split('\n').map(displayWidth));
const stripSgr = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

beforeAll(async () => {
  sb = await demoSandbox();
}, 60_000);
afterAll(() => sb.cleanup());

describe('wrapping Chinese text', () => {
  it('breaks between characters but never inside a number and its unit', () => {
    const text = '生成演示数据库（默认 ./demo.db）：五个区、约 90 家企业、一年的办理记录';
    for (let w = 16; w <= 40; w++) { // from the widest piece that cannot break, "认 ./demo.db）："
      const lines = wrapText(text, w);
      for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(w);
      expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
      expect(lines.some((l) => /约 90 家/.test(l))).toBe(true);
      expect(lines.some((l) => /^[，、：）]/.test(l))).toBe(false);
    }
  });

  it('keeps every character, in order', () => {
    const text = '督办清单：名单空缺超过 30 天、60 天没有进展的企业、逾期辅导事项、未报送月度反馈';
    expect(wrapText(text, 12).join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
  });
});

describe('display width', () => {
  it('counts columns as a terminal draws them', () => {
    expect(displayWidth('华容区')).toBe(6);
    expect(displayWidth('2024-05-03（逾期）')).toBe(18);
    expect(displayWidth('ＡＢ')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1); // e + combining acute
    expect(displayWidth('👍')).toBe(2);
    expect(displayWidth('—…·')).toBe(3);
    expect(displayWidth('\x1b[31m未报送\x1b[39m')).toBe(6);
  });
});

describe('periods', () => {
  it('reads the ways people write a month, a quarter and a year', () => {
    for (const m of ['2024-03', '2024-3', '2024/03', '2024.03', '2024年3月', '2024年03月', '202403', '２０２４－０３']) expect(readPeriod(m, 'month')?.label, m).toBe('2024-03');
    for (const q of ['2024Q1', '2024q1', '2024-Q1', '2024 Q1', '2024年第一季度', '2024年第1季度', '2024年1季度']) expect(readPeriod(q, 'quarter')?.label, q).toBe('2024Q1');
    expect(readPeriod('2024年第四季度', 'quarter')?.label).toBe('2024Q4');
    for (const y of ['2024', '2024年']) expect(readPeriod(y, 'year')?.label).toBe('2024');
    for (const bad of ['2024-13', '2024-00', '24-03', '2024Q5', '2024年第五季度']) {
      expect(readPeriod(bad, 'month') ?? readPeriod(bad, 'quarter')).toBeUndefined();
    }
  });

  it('--period and --month accept them on the command line', async () => {
    const a = await run(['report', 'monthly', '--period', '2024年3月', '--json']);
    const b = await run(['report', 'monthly', '--period', '202403', '--json']);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const q = await run(['report', 'quarterly', '--period', '2024年第一季度', '--json']);
    expect(q.stdout).toBe((await run(['report', 'quarterly', '--period', '2024-Q1', '--json'])).stdout);
    const m = await run(['feedback', 'missing', '--month', '2024/05', '--json']);
    expect(m.stdout).toBe((await run(['feedback', 'missing', '--month', '2024年5月', '--json'])).stdout);
    const bad = await run(['report', 'monthly', '--period', '2024-13']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--period 的值「2024-13」不是月份');
  });
});

describe('tables on a terminal', () => {
  it('fit the width: stacked tables or records, never a longer line; --wide keeps one table', async () => {
    for (const columns of [60, 80, 100]) {
      const r = await run(['report', 'monthly', '--period', '2024-05'], { tty: true, columns, env: { NO_COLOR: '1' } });
      expect(r.code, r.stderr).toBe(0);
      expect(widest(r.stdout)).toBeLessThanOrEqual(columns);
      // every district is still there, in each stacked part
      expect(r.stdout.match(/葛店经济技术开发区/g)!.length).toBeGreaterThan(1);
    }
    const wide = await run(['report', 'monthly', '--period', '2024-05', '--wide'], { tty: true, columns: 60, env: { NO_COLOR: '1' } });
    expect(widest(wide.stdout)).toBeGreaterThan(60);
    expect(wide.stdout.match(/葛店经济技术开发区/g)).toHaveLength(1);
  });

  it('falls back to one record per row when even one column does not fit beside the first', async () => {
    const r = await run(['audit', 'log', '--limit', '3'], { tty: true, columns: 40, env: { NO_COLOR: '1' } });
    expect(r.code, r.stderr).toBe(0);
    expect(widest(r.stdout)).toBeLessThanOrEqual(40);
    expect(r.stdout).toMatch(/^── \d+ ─+$/m);
    expect(r.stdout).toMatch(/^操作人\s+\S+/m);
  });

  it('without a terminal the layout does not depend on the width', async () => {
    const a = await run(['report', 'monthly', '--period', '2024-05'], { columns: 40 });
    const b = await run(['report', 'monthly', '--period', '2024-05'], { columns: 200 });
    expect(a.stdout).toBe(b.stdout);
    expect(widest(a.stdout)).toBeGreaterThan(100);
  });

  it('colour only for meaning: 逾期 / 未报送 red, 空缺 yellow, totals bold; none with NO_COLOR or --no-color', async () => {
    const coach = await run(['coach', 'list', '--overdue'], { tty: true, columns: 200 });
    expect(coach.stdout).toMatch(/\x1b\[31m[^\x1b]*（逾期）\x1b\[39m/);
    const rep = await run(['report', 'monthly', '--period', '2024-05'], { tty: true, columns: 300 });
    expect(rep.stdout).toMatch(/\x1b\[31m未报送\x1b\[39m/);
    expect(rep.stdout).toMatch(/\x1b\[1m合计\x1b\[22m/);
    expect(rep.stdout).toMatch(/\x1b\[33m[1-9]\d*\x1b\[39m/);
    // an ordinary figure is plain
    expect(rep.stdout).toMatch(/│\s+\d+\/\d+ │/);
    for (const plain of [{ env: { NO_COLOR: '1' } }, {}]) {
      const r = await run(['coach', 'list', '--overdue'], { tty: 'env' in plain, columns: 200, ...plain });
      expect(r.stdout).not.toContain('\x1b[');
    }
    const flag = await run(['coach', 'list', '--overdue', '--no-color'], { tty: true, columns: 200 });
    expect(flag.stdout).not.toContain('\x1b[');
    expect(stripSgr(coach.stdout)).toBe(flag.stdout);
  });

  it('errors are red on a terminal stderr, plain otherwise', async () => {
    const tty = await run(['enterprise', 'show', '91420703MA4F000017'], { tty: true });
    expect(tty.stderr).toMatch(/^\x1b\[31m错误：/);
    const plain = await run(['enterprise', 'show', '91420703MA4F000017']);
    expect(plain.stderr).toMatch(/^错误：/);
    const noColor = await run(['enterprise', 'show', '91420703MA4F000017'], { tty: true, env: { NO_COLOR: '1' } });
    expect(noColor.stderr).toMatch(/^错误：/);
  });
});

describe('enterprise show', () => {
  it('shows the declared answers in a terminal, not only in --json', async () => {
    const list = (await run(['enterprise', 'list', '--stage', 'assigned', '--json'])).json();
    const code = list[0].code;
    const json = (await run(['enterprise', 'show', code, '--json'])).json();
    expect(json.declaration).not.toBeNull();
    const r = await run(['enterprise', 'show', code], { tty: true, columns: 80, env: { NO_COLOR: '1' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`申报内容（${json.declaration.submitted_on}）`);
    expect(r.stdout).toMatch(new RegExp(`融资需求金额（万元）\\s+${json.declaration.demand}`));
    expect(r.stdout).toMatch(new RegExp(`所属行业\\s+${json.declaration.industry}`));
    expect(widest(r.stdout)).toBeLessThanOrEqual(80);
  });
});

describe('coach add --org', () => {
  it('reads a department kind in the firm’s own district: 财政 for a 华容区 firm is 华容区财政局', async () => {
    const list = (await run(['enterprise', 'list', '--stage', 'assigned', '--district', '华容区', '--json'])).json();
    const code = list[0].code;
    const r = await run(['coach', 'add', code, '--item', '规范财务报表', '--org', '财政', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().org).toBe('华容区财政局');
    const full = await run(['coach', 'add', code, '--item', '补办环评', '--org', '生态环境局', '--json']);
    expect(full.json().org).toBe('华容区生态环境局');
    const other = await run(['coach', 'add', code, '--item', '其他区的部门', '--org', '鄂城区财政局', '--json']);
    expect(other.json().org).toBe('鄂城区财政局');
  });
});

/** Every command that acts, with its path. */
async function leaves(): Promise<{ path: string[]; def: Awaited<ReturnType<NonNullable<Entry['load']>>> }[]> {
  const out: { path: string[]; def: Awaited<ReturnType<NonNullable<Entry['load']>>> }[] = [];
  const visit = async (entries: Entry[], prefix: string[]) => {
    for (const e of entries) {
      if (e.load) out.push({ path: [...prefix, e.name], def: await e.load() });
      if (e.children) await visit(e.children, [...prefix, e.name]);
    }
  };
  await visit(COMMANDS, []);
  return out;
}

describe('required values without a terminal', () => {
  it('every command lists all its missing arguments and options at once (exit 2)', async () => {
    let checked = 0;
    for (const { path, def } of await leaves()) {
      const args = Object.values(def.args ?? {}).filter((a) => a.required);
      const opts = Object.values(def.options ?? {}).filter((o) => o.spec.required);
      if (args.length + opts.length === 0) continue;
      const r = await run(path);
      expect(r.code, `${path.join(' ')}: ${r.stderr}`).toBe(2);
      for (const a of args) expect(r.stderr, path.join(' ')).toContain(a.usage);
      for (const o of opts) expect(r.stderr, path.join(' ')).toContain(o.long);
      if (args.length + opts.length > 1) expect(r.stderr).toContain(`缺少 ${args.length + opts.length} 项必填项`);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(25);
  });
});

describe('help', () => {
  it('wraps at the terminal width without splitting 约 90 家; 80 columns when not a terminal', async () => {
    for (const columns of [50, 70, 100]) {
      const r = await sb.run(['--help'], { tty: true, columns });
      expect(widest(r.stdout)).toBeLessThanOrEqual(columns);
      expect(r.stdout).toContain('约 90 家');
    }
    const piped = await sb.run(['--help'], { columns: 50 });
    expect(widest(piped.stdout)).toBeLessThanOrEqual(80);
    expect(piped.stdout).toBe((await sb.run(['--help'], { columns: 200 })).stdout);
  });

  it('a command that acts and has subcommands shows both usages', async () => {
    const r = await sb.run(['verify', '--help']);
    expect(r.stdout).toMatch(/^用法： xypz verify \[选项\] <统一社会信用代码>\n {7}xypz verify <命令> \[选项\]$/m);
    expect(r.stdout).toMatch(/reject\s+核查结论为未入选/);
    const sub = await sb.run(['verify', 'reject', '--help']);
    expect(sub.stdout).toMatch(/^用法： xypz verify reject \[选项\] <统一社会信用代码>$/m);
    const noun = await sb.run(['pool', '--help']);
    expect(noun.stdout).toMatch(/^用法： xypz pool <命令> \[选项\]$/m);
  });

  it('--version prints the version and the SQLite version', async () => {
    const r = await sb.run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^xypz \d+\.\d+\.\d+\nSQLite 3\.\d+\.\d+\n$/);
  });
});

describe('shell completion candidates', () => {
  const complete = async (...words: string[]) => {
    const r = await sb.run(['__complete', ...words], { env: { XYPZ_ACTOR: 'nobody' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean);
  };

  it('commands, subcommands and options', async () => {
    expect(await complete('re')).toEqual(['recommend', 'reclassify', 'report']);
    expect(await complete('report', '')).toEqual(['monthly', 'quarterly', 'annual', 'overdue']);
    expect(await complete('help', 'rep')).toEqual(['report']);
    const loan = await complete('loan', '--');
    expect(loan).toEqual(expect.arrayContaining(['--kind', '--amount', '--first-loan', '--db', '--json', '--help']));
    expect(await complete('loan', 'x', '--kind', '')).toEqual(['credit', 'disbursement']);
    expect(await complete('close', 'x', '--outcome', 'w')).toEqual(['withdrawn']);
  });

  it('names from the database, without an account', async () => {
    expect(await complete('enterprise', 'list', '--district', '')).toEqual(['鄂州市', '鄂城区', '华容区', '梁子湖区', '葛店经济技术开发区', '临空经济区']);
    expect(await complete('assign', 'x', '--bank', '中国工')).toEqual(['中国工商银行鄂州分行']);
    expect(await complete('recommend', '--dept', '华容区财')).toEqual(['华容区财政局']);
    expect(await complete('coach', 'list', '--org', '华容区金')).toEqual(['华容区金融办']);
    const from = await complete('feedback', 'add', '--from', '');
    expect(from.slice(0, 5)).toEqual(['鄂城区', '华容区', '梁子湖区', '葛店经济技术开发区', '临空经济区']);
    expect(from).toContain('中国工商银行鄂州分行');
    const codes = (await run(['enterprise', 'list', '--json'])).json().map((e: { code: string }) => e.code).sort();
    expect((await complete('ledger', '')).sort()).toEqual(codes);
    expect((await complete('enterprise', 'show', codes[0].slice(0, 12))).every((c) => c.startsWith(codes[0].slice(0, 12)))).toBe(true);
    expect(await complete('--db', 'missing.db', 'org', 'list', '--district', '')).toEqual([]);
  });
});
