/**
 * Enterprises and their cases at a given stage, built through the CLI the way staff make them: one place for
 * the credit codes, names, survey-platform rows and step sequences the workflow tests share.
 */
import { withUsccCheck } from '../src/domain/core/ids.js';
import { ok, type RunOptions, type Sandbox } from './helpers.js';
import { writeXlsx, type CellInput } from './sheets.js';

/** A valid credit code of a 华容区 enterprise; n in 0–99999. */
export const code = (n: number) => withUsccCheck(`91420703MA4F${String(n).padStart(5, '0')}`);
export const nameOf = (c: string) => `鄂州${c.slice(-5)}实业有限公司`;

export const HR = '华容区';
export const ICBC = '中国工商银行鄂州分行';

const PLATFORM = ['序号', '提交答卷时间', '所用时间', '来源', '来自IP'];
const QUESTION_TITLES = [
  '1、企业名称：', 'Q2.统一社会信用代码', '第3题 所属区域', '4、所属行业', '5、企业规模', '6、成立日期', '7、注册资本（万元）',
  '8、法定代表人', '9、联系人', '10、联系电话', '11、经营地址', '12、上年营业收入（万元）', '13、上年利润总额（万元）', '14、从业人数',
  '15、上年纳税总额（万元）', '16、主要产品或服务', '17、现有贷款余额（万元）', '18、融资需求金额（万元）', '19、需求期限（月）',
  '20、资金用途', '21、可提供担保方式', '22、融资难原因', '23、是否同意授权查询企业及法定代表人信用信息',
];
/** The header of the survey platform's export (问卷星 style: platform columns, then numbered questions). */
export const DECL_HEADER = [...PLATFORM, ...QUESTION_TITLES];

/** One submission as the survey platform exports it; `over` replaces fields by name (region is the district). */
export function declRow(c: string, over: Partial<Record<string, CellInput>> = {}): CellInput[] {
  const region = (over.region as string | undefined) ?? HR;
  const v: Record<string, CellInput> = {
    serial: 1, at: '2024/3/5 10:22:33', took: '312秒', source: '微信', ip: '219.140.1.2(湖北-鄂州)',
    name: nameOf(c), code: c, region, industry: 'C 制造业', size: '小型', founded: '2015-04-20', capital: 500,
    legalRep: '王建国', contact: '李会计', phone: '13807110001', address: `${region}葛店大道 8 号`, revenue: 1200.5, profit: -35,
    employees: 46, tax: 18.2, products: '汽车零部件', loanBalance: 120, demand: 300, term: 12, purpose: '购置原材料',
    guarantees: '抵押┋保证', difficulties: '缺乏抵质押物┋经营规模小', authorised: '是',
    ...over,
  };
  return Object.values(v);
}

/** The joint verification's text flags. */
export const VERIFY = ['--basic', '企业经营正常，订单稳定', '--causes', '缺少足值抵押物', '--advice', '建议主办行以应收账款质押授信', '--experts', '张三（工行）,李四（农商行）'];

/** Departments take turns, three recommendations each, so that no department goes over its yearly quota. */
const DEPTS = ['经信', '科技', '发改', '财政', '商务', '税务', '文旅', '市场监管', '农业农村', '自然资源'];
const made = new WeakMap<Sandbox, number>();

export interface RecommendOptions {
  district?: string;
  /** The recommending department; by default they take turns. */
  dept?: string;
  date?: string;
  extra?: string[];
  run?: RunOptions;
}

/**
 * The options of a step entered on the day it happened: the clock (XYPZ_TODAY) at the event's date, as staff
 * enter it; an event in a month whose figures are final would be a correction.
 */
export const enteredOn = (date: string, run?: RunOptions): RunOptions => ({ ...run, today: run?.today ?? date });

/** The date a command's own option gives its event (--date, --meeting), if any. */
export function dayOf(args: string[]): string | undefined {
  const flag = args.findIndex((a) => a === '--date' || a === '--meeting');
  return flag < 0 ? undefined : args[flag + 1];
}

/** The options of a command entered on the day its own date says (--date, --meeting), else `run` as given. */
export function onItsDay(args: string[], run?: RunOptions): RunOptions | undefined {
  const day = dayOf(args);
  return day === undefined ? run : enteredOn(day, run);
}

/** `xypz recommend` of each code (on 2024-03-01 unless told, entered that day), which must succeed. */
export async function recommend(sb: Sandbox, codes: string | string[], o: RecommendOptions = {}): Promise<void> {
  for (const c of [codes].flat()) {
    const n = made.get(sb) ?? 0;
    made.set(sb, n + 1);
    const dept = o.dept ?? DEPTS[Math.floor(n / 3) % DEPTS.length]!;
    const date = o.date ?? '2024-03-01';
    const args = ['recommend', '--code', c, '--name', nameOf(c), '--district', o.district ?? HR, '--dept', dept, '--date', date];
    await ok(sb, [...args, ...(o.extra ?? [])], enteredOn(date, o.run));
  }
}

let files = 0;

/** Imports one survey export holding a submission of each code (submitted at 2024-03-05 unless `date` says), that day. */
export async function declare(sb: Sandbox, codes: string | string[], o: { district?: string; date?: string; authorised?: string; run?: RunOptions } = {}): Promise<void> {
  const over: Partial<Record<string, CellInput>> = { region: o.district ?? HR };
  if (o.date) over.at = `${o.date} 09:00:00`;
  if (o.authorised) over.authorised = o.authorised;
  const file = sb.path(`decl-${++files}.xlsx`);
  await writeXlsx(file, { 答卷数据: [DECL_HEADER, ...[codes].flat().map((c, i) => declRow(c, { ...over, serial: i + 1 }))] });
  await ok(sb, ['declare', 'import', file], enteredOn(o.date ?? '2024-03-05', o.run));
}

export type Stage = 'recommended' | 'declared' | 'verified' | 'confirmed' | 'assigned';
const ORDER: Stage[] = ['recommended', 'declared', 'verified', 'confirmed', 'assigned'];

export interface CaseOptions {
  district?: string;
  dept?: string;
  class?: 'financing' | 'cultivation';
  /** 是/否 in the declaration. */
  authorised?: string;
  bank?: string;
  /** The date of each step; `verified` may give one date per code. */
  on?: { recommended?: string; declared?: string; verified?: string | string[]; confirmed?: string; assigned?: string };
}

/**
 * Takes the codes through every step up to `stage`: recommended 2024-03-01, declared 2024-03-05 (one
 * export), verified 2024-04-01 as financing, confirmed into the list at a meeting on 2024-04-15, lead bank 工行
 * on 2024-04-20 — each date and the class, district, department and bank as `o` says; each step entered on its day.
 */
export async function caseAt(sb: Sandbox, stage: Stage, codes: string | string[], o: CaseOptions = {}): Promise<void> {
  const list = [codes].flat();
  const upTo = (s: Stage) => ORDER.indexOf(s) <= ORDER.indexOf(stage);
  const district = o.district ?? HR;
  await recommend(sb, list, { district, dept: o.dept, date: o.on?.recommended });
  if (upTo('declared')) await declare(sb, list, { district, date: o.on?.declared, authorised: o.authorised });
  if (upTo('verified')) {
    for (const [i, c] of list.entries()) {
      const on = o.on?.verified;
      const date = (Array.isArray(on) ? on[i] : on) ?? '2024-04-01';
      await ok(sb, ['verify', c, '--class', o.class ?? 'financing', ...VERIFY, '--date', date], enteredOn(date));
    }
  }
  const meeting = o.on?.confirmed ?? '2024-04-15';
  if (upTo('confirmed')) await ok(sb, ['pool', 'confirm', '--district', district, '--meeting', meeting, ...list], enteredOn(meeting));
  if (upTo('assigned')) {
    const date = o.on?.assigned ?? '2024-04-20';
    for (const c of list) await ok(sb, ['assign', c, '--bank', o.bank ?? '工行', '--date', date], enteredOn(date));
  }
}

/** `xypz enterprise show <code> --json`, which must succeed. */
export async function show(sb: Sandbox, c: string) {
  return (await ok(sb, ['enterprise', 'show', c, '--json'])).json();
}
