/**
 * The programme's start in the figures: feedback is owed and the annual pool score counts month-ends only from
 * the month containing the (effective) start; a report of a period ending before it is refused; a unit with
 * nothing to score in the year is not ranked. Worked out by hand (definitions: docs/figures.md).
 *
 * init --start 2024-03-15 (default capacity 10). One firm P in 华容区: rec 03-20, decl 03-21, verified 融资 03-22,
 * confirmed 03-25, 工行 03-26, 放款 10.00 03-28 (not 首贷). Feedback: 华容区 2024-03 (04-05) and 2024-04 (05-05).
 * 2024 annual: every district owes March–December = 10 months; 华容区 has P in the list at those 10 month-ends:
 * pool 10 / capacity 100.
 * Districts: 华容区 loan 40 + service 20 (1 of max 1) + pool 15 × 10/100 = 1.5 + feedback 10 × 2/10 = 2, no
 * rating: 63.5 × 100 / 85 = 74.705… → 74.71, rank 1; the others owe feedback, score 0, share rank 2.
 * Banks: 工行 led P from 03-26: owes 10 months, none on time; loan 40 + firms 20 + 首贷 0 (max 0) + feedback 0,
 * no rating: 60 × 100 / 85 = 70.588… → 70.59, rank 1; every other bank owes nothing, has no rating and no loan:
 * 不参加排名 (rank and score null), after 工行.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Directory } from '../src/domain/core/directory.js';
import { withUsccCheck } from '../src/domain/core/ids.js';
import { computeFigures } from '../src/domain/reporting/figures.js';
import { openStore } from '../src/store/db.js';
import { yearPeriod } from '../src/util/dates.js';
import { sandbox, type Sandbox } from './helpers.js';
import { writeXlsx } from './sheets.js';

const P = withUsccCheck('91420703MA4R00011');
const NAME = '鄂州00011科技有限公司';
const ICBC = '中国工商银行鄂州分行';
const HEADER = ['提交答卷时间', '企业名称', '统一社会信用代码', '所属区域', '是否同意授权查询企业及法定代表人信用信息', '融资需求金额（万元）'];
const VERIFY = ['--basic', '经营正常', '--causes', '缺少抵押物', '--advice', '信用方式授信', '--experts', '张三（工行）'];

let sb: Sandbox;
const run = async (today: string, ...args: string[]) => {
  const r = await sb.run(args, { today });
  if (r.code !== 0) throw new Error(`${args.join(' ')} → ${r.code}: ${r.stderr}`);
  return r;
};
type Rank = { rank: number | null; name: string; score: number | null; reason?: string };
type Annual = { districts: { district: string; feedback_owed: number; feedback_months: number }[]; ranking: { districts: Rank[]; banks: Rank[] } };
const annual2024 = async (): Promise<Annual> => JSON.parse((await run('2025-03-01', 'report', 'annual', '--period', '2024', '--json')).stdout) as Annual;

beforeAll(async () => {
  sb = sandbox();
  await run('2024-03-15', 'init', '--admin', 'tester', '--name', '测试员', '--start', '2024-03-15');
  await run('2024-03-20', 'recommend', '--code', P, '--name', NAME, '--district', '华容区', '--dept', '经信', '--date', '2024-03-20');
  await writeXlsx(sb.path('decl.xlsx'), { S: [HEADER, ['2024-03-21 09:00:00', NAME, P, '华容区', '是', 100]] });
  await run('2024-03-21', 'declare', 'import', sb.path('decl.xlsx'));
  await run('2024-03-22', 'verify', P, '--class', 'financing', ...VERIFY, '--date', '2024-03-22');
  await run('2024-03-25', 'pool', 'confirm', '--district', '华容区', '--meeting', '2024-03-25', P);
  await run('2024-03-26', 'assign', P, '--bank', '工行', '--date', '2024-03-26');
  await run('2024-03-28', 'loan', P, '--kind', 'disbursement', '--amount', '10.00', '--date', '2024-03-28');
  await run('2024-04-05', 'feedback', 'add', '--from', '华容区', '--month', '2024-03', '--text', '工作情况', '--date', '2024-04-05');
  await run('2024-05-05', 'feedback', 'add', '--from', '华容区', '--month', '2024-04', '--text', '工作情况', '--date', '2024-05-05');
}, 120_000);
afterAll(() => sb?.cleanup());

describe('the programme start in the annual figures', () => {
  it('owes feedback from the month containing the start and scores the pool over those month-ends only', async () => {
    const j = await annual2024();
    expect(j.districts.map((d) => d.feedback_owed)).toEqual(j.districts.map(() => 10));
    expect(j.districts.find((d) => d.district === '华容区')).toMatchObject({ feedback_owed: 10, feedback_months: 2 });
    expect(j.ranking.districts[0]).toMatchObject({ rank: 1, name: '华容区', score: 74.71, parts: { loan_amount: 40, service_items: 20, pool_filled: 1.5, satisfaction: null, feedback: 2 } });
    expect(j.ranking.districts.slice(1).map((r) => [r.rank, r.score])).toEqual(j.ranking.districts.slice(1).map(() => [2, 0]));
  });

  it('does not rank a bank that owes nothing, has no rating and no loan: rank and score null, with the reason, after the ranked', async () => {
    const { banks } = (await annual2024()).ranking;
    expect(banks[0]).toMatchObject({ rank: 1, name: ICBC, score: 70.59, parts: { loan_amount: 40, loan_firms: 20, first_loan_firms: 0, satisfaction: null, feedback: 0 } });
    expect(banks.length).toBeGreaterThan(1);
    for (const b of banks.slice(1)) expect(b).toMatchObject({ rank: null, score: null, reason: expect.stringContaining('无需报送月度反馈') });
  });

  it('shows the units not ranked as 不参加排名 in the terminal and the narrative, and counts the shortfall from the months owed', async () => {
    const text = (await run('2025-03-01', 'report', 'annual', '--period', '2024')).stdout;
    expect(text).toMatch(/不参加排名\s+│?\s*中国农业银行鄂州分行/);
    expect(text).not.toMatch(/中国农业银行鄂州分行\s+│?\s*0\.00/);
    await run('2025-03-01', 'report', 'annual', '--period', '2024', '--district', '华容区', '--out', sb.path('hr.md'));
    const own = readFileSync(sb.path('hr.md'), 'utf8');
    expect(own).toContain('补报本年缺报的8个月月度反馈');
    await run('2025-03-01', 'report', 'annual', '--period', '2024', '--out', sb.path('city.md'));
    const city = readFileSync(sb.path('city.md'), 'utf8');
    expect(city).toMatch(/\| 不参加排名 \| 中国农业银行鄂州分行 \| — \|/);
    expect(city).toMatch(/\| 1 \| 中国工商银行鄂州分行 \| 70\.59 \|/);
  });

  it('the figures read the start themselves when a caller does not pass it: the same months owed as the report', async () => {
    const store = await openStore(sb.db);
    try {
      const y = await computeFigures(store.db, await Directory.load(store.db), yearPeriod(2024), { annual: true });
      expect(y.districts.map((d) => d.feedback_owed)).toEqual(y.districts.map(() => 10));
      expect(y.districts.find((d) => d.district === '华容区')).toMatchObject({ feedback_owed: 10, feedback_months: 2 });
    } finally {
      await store.close();
    }
  });

  it('refuses a report whose period ends before the start: exit 2, one line', async () => {
    const r = await sb.run(['report', 'annual', '--period', '2023'], { today: '2025-03-01' });
    expect([r.code, r.stdout, r.stderr.trim()]).toEqual([2, '', '错误：2023年在项目开始日期（2024-03-15）以前，没有报表；请指定项目开始以后的期间']);
    const m = await sb.run(['report', 'monthly', '--period', '2024-02'], { today: '2025-03-01' });
    expect([m.code, m.stderr.trim()]).toEqual([2, '错误：2024年2月在项目开始日期（2024-03-15）以前，没有报表；请指定项目开始以后的期间']);
  });

  it('takes the first recorded event as the start when it is earlier than the recorded start (an upgraded database)', async () => {
    // as if the start were recorded after the records: the first record (P's recommendation, 2024-03-20) decides
    await sb.sql("update programme set start_on = '2024-09-01'");
    try {
      expect((await annual2024()).districts.map((d) => d.feedback_owed)).toEqual([10, 10, 10, 10, 10]);
      // a period holding no records but ending after the first one is still reported
      expect((await sb.run(['report', 'monthly', '--period', '2024-05', '--json'], { today: '2025-03-01' })).code).toBe(0);
      const r = await sb.run(['report', 'monthly', '--period', '2024-02'], { today: '2025-03-01' });
      expect([r.code, r.stderr.trim()]).toEqual([2, '错误：2024年2月在项目开始日期（2024-03-20）以前，没有报表；请指定项目开始以后的期间']);
    } finally {
      await sb.sql("update programme set start_on = '2024-03-15'");
    }
  });
});
