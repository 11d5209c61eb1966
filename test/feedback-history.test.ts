/**
 * Monthly feedback as history, with a deadline (the 10th of the next month), and reports that say whether their
 * figures are final. Today 2024-06-15. April 2024 (deadline 2024-05-10):
 *   华容区  初报 05-05, 更正 05-10 (the deadline day: counts), 补充 05-11 (late)
 *   鄂城区  only 05-20 (late)
 *   工行    05-09 (it owes April's feedback: it leads a firm from 04-20)
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseAt, code, onItsDay } from './cases.js';
import { addAccounts, as, initialised, type RunOptions, type Sandbox } from './helpers.js';

let sb: Sandbox;
/** Each feedback entered on the day it was received (only the 人民银行 may give another day, as a correction). */
const ok = async (args: string[], opts: RunOptions = {}) => {
  const r = await sb.run(args, onItsDay(args, opts));
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
};
const add = (from: string, text: string, date: string, extra: string[] = []) => ok(['feedback', 'add', '--from', from, '--month', '2024-04', '--text', text, '--date', date, ...extra]);
const april = async () => (await ok(['report', 'monthly', '--period', '2024-04', '--json'])).stdout;

beforeAll(async () => {
  sb = await initialised();
  await addAccounts(sb, [
    { login: 'icbc_op', org: '中国工商银行鄂州分行', kind: '金融机构', region: '鄂州市' },
    { login: 'ccb_op', org: '中国建设银行鄂州分行', kind: '金融机构', region: '鄂州市' },
  ]);
  await caseAt(sb, 'assigned', code(701));
}, 60_000);
afterAll(() => sb.cleanup());

describe('feedback history and deadline', () => {
  let onTime: string;

  it('keeps every submission; the latest by the deadline counts, the deadline day included', async () => {
    expect((await add('华容区', '初报', '2024-05-05', ['--json'])).json()).toEqual({ kind: 'district', name: '华容区', month: '2024-04', result: 'added', deadline: '2024-05-10', late: false });
    expect((await add('华容区', '更正', '2024-05-10')).stdout).toContain('已登记更正');
    expect((await add('华容区', '更正', '2024-05-10', ['--json'])).json()).toMatchObject({ result: 'unchanged' });
    await add('工行', '走访主办企业', '2024-05-09');
    onTime = await april();
    const f = JSON.parse(onTime);
    expect(f.districts.find((d: { district: string }) => d.district === '华容区')).toMatchObject({ feedback: true, feedback_months: 1 });
    expect(f.districts.find((d: { district: string }) => d.district === '鄂城区')).toMatchObject({ feedback: false, feedback_months: 0 });
    expect(f.banks.find((b: { bank: string }) => b.bank === '中国工商银行鄂州分行')).toMatchObject({ feedback: true, feedback_months: 1 });
  });

  it('records a late submission, says so, and never changes the month\'s figures', async () => {
    const late = await add('华容区', '补充', '2024-05-11');
    expect(late.stdout).toContain('晚于报送截止日 2024-05-10，记为逾期报送，不计入该月反馈');
    expect((await add('鄂城区', '四月工作情况', '2024-05-20', ['--json'])).json()).toMatchObject({ result: 'added', late: true });
    expect(await april()).toBe(onTime);
    const q2 = (await ok(['report', 'quarterly', '--period', '2024Q2', '--json'])).json();
    expect(q2.districts.find((d: { district: string }) => d.district === '鄂城区')).toMatchObject({ feedback_months: 0 });
    const log = (await ok(['audit', 'log', '--json', '--entity', 'feedback'])).json();
    expect(log.map((e: { after: { submitted_on: string; late: boolean } }) => [e.after.submitted_on, e.after.late])).toEqual([
      ['2024-05-05', false], ['2024-05-10', false], ['2024-05-09', false], ['2024-05-11', true], ['2024-05-20', true],
    ]);
  });

  it('feedback show lists the history of one unit\'s month, or of a month, with what counts', async () => {
    const one = (await ok(['feedback', 'show', '--month', '2024-04', '--from', '华容区', '--json'])).json();
    expect(one.map((e: { submitted_on: string; text: string; status: string }) => [e.submitted_on, e.text, e.status])).toEqual([
      ['2024-05-05', '初报', 'superseded'],
      ['2024-05-10', '更正', 'counted'],
      ['2024-05-11', '补充', 'late'],
    ]);
    const all = (await ok(['feedback', 'show', '--month', '2024年4月', '--json'])).json();
    expect(all.map((e: { name: string; status: string }) => `${e.name}:${e.status}`)).toEqual([
      '鄂城区:late', '华容区:superseded', '华容区:counted', '华容区:late', '中国工商银行鄂州分行:counted',
    ]);
    const text = (await ok(['feedback', 'show', '--month', '2024-04', '--from', '华容区'])).stdout;
    expect(text).toContain('已被更正');
    expect(text).toContain('逾期报送（不计入）');
    expect(text).toContain('报送截止日 2024-05-10');
    // a bank sees its own history, not another bank's
    expect((await ok(['feedback', 'show', '--month', '2024-04', '--from', '工行', '--json'], as('icbc_op'))).json()).toHaveLength(1);
    expect((await sb.run(['feedback', 'show', '--month', '2024-04', '--from', '工行'], as('ccb_op'))).code).toBe(4);
  });

  it('the 督办清单 shows late feedback under its own key', async () => {
    const o = (await ok(['report', 'overdue', '--month', '2024-04', '--json'])).json();
    expect(o.feedback_late).toEqual([{ kind: 'district', name: '鄂城区', submitted_on: '2024-05-20', deadline: '2024-05-10' }]);
    expect(o.feedback.map((f: { name: string }) => f.name)).toEqual(['梁子湖区', '葛店经济技术开发区', '临空经济区']);
    const text = (await ok(['report', 'overdue', '--month', '2024-04'])).stdout;
    expect(text).toContain('五、2024-04 月度反馈逾期报送（截止 2024-05-10，不计入当月）：鄂城区（2024-05-20）');
  });

  it('by default checks the latest month whose deadline has passed: the month before last on the 1st to the 10th', async () => {
    const month = async (today: string) => (await ok(['report', 'overdue', '--json'], { today })).json();
    // 2024-05-10 is April's deadline: April is not late yet, so March is checked
    expect(await month('2024-05-10')).toMatchObject({ feedback_month: '2024-03', feedback_deadline: '2024-04-10' });
    const may11 = await month('2024-05-11');
    expect(may11).toMatchObject({ feedback_month: '2024-04', feedback_deadline: '2024-05-10' });
    expect(may11.feedback_late).toEqual([{ kind: 'district', name: '鄂城区', submitted_on: '2024-05-20', deadline: '2024-05-10' }]);
    expect(await month('2024-06-01')).toMatchObject({ feedback_month: '2024-04' });
    expect(await month('2024-06-11')).toMatchObject({ feedback_month: '2024-05' });
    expect(await month('2025-01-05')).toMatchObject({ feedback_month: '2024-11' });
    expect(await month('2025-01-11')).toMatchObject({ feedback_month: '2024-12' });
  });
});

describe('reports whose figures may still change', () => {
  const report = (kind: string, period: string, today: string, extra: string[] = []) => sb.run(['report', kind, '--period', period, ...extra], { today });

  it('warns on stderr and carries "final": false until the period and its feedback deadline are over', async () => {
    const june = await report('monthly', '2024-06', '2024-06-15', ['--json']);
    expect(june.code).toBe(0);
    expect(june.stderr).toBe('2024年6月尚未结束，数字会变化\n');
    expect(june.json()).toMatchObject({ period: '2024-06', final: false });
    const may = await report('monthly', '2024-05', '2024-06-10', ['--json']);
    expect(may.stderr).toBe('2024年5月的月度反馈报送截止日为 2024-06-10，截止前数字会变化\n');
    expect(may.json().final).toBe(false);
    const after = await report('monthly', '2024-05', '2024-06-11', ['--json']);
    expect(after.stderr).toBe('');
    expect(Object.keys(after.json()).slice(0, 5)).toEqual(['period', 'start', 'end', 'final', 'districts']);
    expect(after.json().final).toBe(true);
    expect((await report('quarterly', '2024Q2', '2024-06-15')).stderr).toBe('2024年第二季度尚未结束，数字会变化\n');
    expect((await report('annual', '2024', '2024-06-15')).stderr).toBe('2024年尚未结束，数字会变化\n');
    expect((await report('quarterly', '2024Q1', '2024-04-10')).stderr).toContain('2024年第一季度的月度反馈报送截止日为 2024-04-10');
  });

  it('says the same in the workbook\'s 说明', async () => {
    const notes = async (today: string) => {
      const r = await report('monthly', '2024-06', today, ['--out', sb.path(`m-${today}.xlsx`)]);
      expect(r.code).toBe(0);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(sb.path(`m-${today}.xlsx`));
      const rows = (wb.getWorksheet('说明')!.getSheetValues() as unknown[][]).filter(Boolean);
      return Object.fromEntries(rows.map((r) => [r[1], r[2]]));
    };
    expect((await notes('2024-06-20'))['数字状态']).toBe('2024年6月尚未结束，数字会变化（JSON 中 "final": false）');
    const done = await notes('2024-07-11');
    expect(done['数字状态']).toBe('统计期间已结束、月度反馈报送截止日已过，数字不再变化');
    expect(done['月度反馈报送截止日']).toContain('次月 10 日');
  });
});
