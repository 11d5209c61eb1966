/**
 * Figures as published, the acceptance scenario. The demo's year of history (`xypz demo`, which records each
 * event with the clock at the event's date) is published on the demo's today: every month, quarter and year
 * that is final then, as JSON, CSV, HTML and Excel, and the quarters' and years' Word reports. Three weeks later
 * every unit (a district's finance office, a member department, a bank) tries each way of entering something
 * dated inside those periods — a loan, a capacity change, a rating, a closing, a lead-bank change, a feedback
 * with --date, a workbook with --received, recommendation rows dated 1900-01-01 and in the previous year, a
 * late workbook for a closed month — and each is refused with exit 3, nothing written; so is the PBOC without
 * --correction. With --correction the PBOC records six corrections chosen so that their effect can be worked
 * out by hand from the published figures and the firms' records. Afterwards every published output is the
 * same, byte for byte, except the note on the periods a correction moves; `--revised` gives the published
 * figures plus exactly the hand-computed effects, and its 修订说明 lists each correction with what it moved.
 */
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listZip } from '../src/import/zipguard.js';
import { fill, feedback as fillFeedback, loans as fillLoans } from './collect-helpers.js';
import { code as newCode, nameOf } from './cases.js';
import { demoSandbox, type RunResult, type Sandbox, TODAY } from './helpers.js';
import { writeXlsx } from './sheets.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

/** The demo's today (the shared demo fixture is built on it), when every final period is published. */
const BUILT = TODAY;
/** Three weeks later: the late entries are tried. Months up to 2024-05 are closed; 2024-06 is not (cut-off 07-10). */
const LATER = '2024-07-05';

const OFFICE = 'hr_jrb'; // 华容区金融办
const DEPT = 'hr_jxj'; // 华容区经济和信息化局
const BANK = 'icbc_kh'; // 中国工商银行鄂州分行
const PBOC = 'demo_op'; // 人民银行 操作员
const ICBC = '中国工商银行鄂州分行';
const HR = '华容区';
const OFFICE_UNIT = '华容区金融办';

let sb: Sandbox;
const run = (who: string, today: string, args: string[]): Promise<RunResult> => sb.run(args, { today, env: { XYPZ_ACTOR: who } });
const ok = async (who: string, today: string, args: string[]): Promise<RunResult> => {
  const r = await run(who, today, args);
  expect(r.code, `${who}: ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
};

// ---- periods and their cut-offs, worked out here from the rule in words (docs/figures.md) ----

const nextMonth = (m: string) => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};
/** The cut-off of a month: the 10th of the following month. */
const cutoff = (lastMonth: string) => `${nextMonth(lastMonth)}-10`;
type Period = { kind: 'monthly' | 'quarterly' | 'annual'; label: string; months: string[] };
const quarterOf = (m: string) => `${m.slice(0, 4)}Q${Math.floor((Number(m.slice(5, 7)) - 1) / 3) + 1}`;

/** Every month, quarter and year from the programme's start whose cut-off has passed on `today`. */
function finalPeriods(startOn: string, today: string): Period[] {
  const months: string[] = [];
  for (let m = startOn.slice(0, 7); cutoff(m) < today; m = nextMonth(m)) months.push(m);
  const group = (key: (m: string) => string, size: number, kind: Period['kind']): Period[] => {
    const by = new Map<string, string[]>();
    for (const m of months) by.set(key(m), [...(by.get(key(m)) ?? []), m]);
    // a quarter or year is final when its last month's cut-off has passed: its last month is among `months`
    return [...by].filter(([, ms]) => Number(ms.at(-1)!.slice(5, 7)) % size === 0).map(([label, ms]) => ({ kind, label, months: ms }));
  };
  return [
    ...months.map((m): Period => ({ kind: 'monthly', label: m, months: [m] })),
    ...group(quarterOf, 3, 'quarterly'),
    ...group((m) => m.slice(0, 4), 12, 'annual'),
  ];
}

// ---- outputs ----

const EXTS: Record<Period['kind'], string[]> = {
  monthly: ['json', 'csv', 'html', 'xlsx'],
  quarterly: ['json', 'csv', 'html', 'xlsx', 'docx'],
  annual: ['json', 'csv', 'html', 'xlsx', 'docx'],
};
const ZIPPED = new Set(['xlsx', 'docx']);

/** The parts of an .xlsx or .docx, each inflated (to read the text in them). */
function zipParts(path: string): Record<string, Buffer> {
  const buf = readFileSync(path);
  const parts: Record<string, Buffer> = {};
  for (const e of listZip(path)) {
    const start = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28);
    const data = buf.subarray(start, start + e.compressed);
    parts[e.name] = e.method === 8 ? inflateRawSync(data) : Buffer.from(data);
  }
  return parts;
}

/** A report file: its bytes, compared whole (a workbook or document included), and where it is, to read it. */
type Output = { bytes: Buffer; path: string };
let outs = 0;
async function output(today: string, p: Period, ext: string, extra: string[] = []): Promise<Output> {
  const path = sb.path(`out-${++outs}.${ext}`);
  await ok(PBOC, today, ['report', p.kind, '--period', p.label, '--out', path, ...extra]);
  return { bytes: readFileSync(path), path };
}
/** The text of a report file (of every part of a workbook or document). */
const text = (o: Output) => (ZIPPED.has(o.path.split('.').at(-1)!) ? Object.values(zipParts(o.path)).map((b) => b.toString('utf8')).join('\n') : o.bytes.toString('utf8'));
const jsonOf = async (today: string, p: Period, extra: string[] = []): Promise<Json> => (await ok(PBOC, today, ['report', p.kind, '--period', p.label, '--json', ...extra])).json();

// ---- the state shared by the steps ----

let startOn: string;
let periods: Period[];
const published = new Map<string, Output>(); // `${label}.${ext}` → what was published on BUILT
const pubJson = new Map<string, Json>();
const key = (p: Period, ext: string) => `${p.label}.${ext}`;

type Loan = { kind: string; amount: string; date: string; bank: string };
type Firm = {
  code: string;
  district: string;
  stage: string;
  class: string;
  lead_bank: string | null;
  lead_banks: { bank: string; from: string; to: string | null }[];
  loans: Loan[];
  coaching: unknown[];
  history: { date: string; kind: string }[];
};
let firms: Firm[];
let beforeAttempts: string;

beforeAll(async () => {
  sb = await demoSandbox();
  const [row] = await sb.sql<{ start_on: string }>('select start_on from programme');
  startOn = row!.start_on;
  periods = finalPeriods(startOn, BUILT);
  const cases = (await ok(PBOC, BUILT, ['enterprise', 'list', '--json'])).json() as { code: string; stage: string }[];
  firms = [];
  for (const c of cases.filter((x) => x.stage === 'assigned')) firms.push((await ok(PBOC, BUILT, ['enterprise', 'show', c.code, '--json'])).json());
}, 180_000);
afterAll(() => sb?.cleanup());

const leadOn = (f: Firm, day: string) => f.lead_banks.find((b) => b.from <= day && (b.to === null || day < b.to))?.bank ?? null;
const quiet = (f: Firm, after: string) => f.history.every((h) => h.date < after);
const disbursedIn = (f: Firm, months: string[]) => f.loans.some((l) => l.kind === 'disbursement' && months.includes(l.date.slice(0, 7)));
const financingThroughout = (f: Firm) => f.class === 'financing' && !f.history.some((h) => h.kind === 'reclassified');

describe('publishing the demo history', () => {
  it('covers every month, quarter and year from the programme start whose cut-off passed by the demo’s today', async () => {
    expect(startOn <= '2023-06-16').toBe(true); // the demo's history begins a year before its today
    const labels = periods.map((p) => p.label);
    expect(labels).toContain('2024-05'); // cut-off 2024-06-10: final on 06-15
    expect(labels).not.toContain('2024-06');
    expect(labels).toEqual(expect.arrayContaining(['2023Q3', '2023Q4', '2024Q1', '2023']));
    expect(labels).not.toContain('2024Q2');
    // the boundary: final from the day after the cut-off, preliminary on it
    const may = periods.find((p) => p.label === '2024-05')!;
    expect((await jsonOf('2024-06-10', may)).final).toBe(false);
    expect((await jsonOf('2024-06-11', may)).final).toBe(true);
    const q2: Period = { kind: 'quarterly', label: '2024Q2', months: [] };
    expect((await jsonOf(BUILT, q2)).final).toBe(false);
  });

  it('publishes JSON, CSV and HTML of each', async () => {
    for (const p of periods) {
      for (const ext of ['json', 'csv', 'html']) published.set(key(p, ext), await output(BUILT, p, ext));
      const j = JSON.parse(published.get(key(p, 'json'))!.bytes.toString('utf8'));
      expect(j.final, p.label).toBe(true);
      pubJson.set(p.label, j);
    }
  });

  it('publishes the monthly Excel reports', async () => {
    for (const p of periods.filter((x) => x.kind === 'monthly')) published.set(key(p, 'xlsx'), await output(BUILT, p, 'xlsx'));
  });

  it('publishes the quarterly and annual Excel reports', async () => {
    for (const p of periods.filter((x) => x.kind !== 'monthly')) published.set(key(p, 'xlsx'), await output(BUILT, p, 'xlsx'));
  });

  it('publishes the Word reports of the quarters and years', async () => {
    for (const p of periods.filter((x) => x.kind !== 'monthly')) published.set(key(p, 'docx'), await output(BUILT, p, 'docx'));
  });
});

// ---- the firms and workbooks the late entries are about ----

/** F: a financing firm led by ICBC since before 2024, with no disbursement in 2024Q1 (a late loan's effect is then plain). */
const pickF = () => {
  const f = firms.find((x) => financingThroughout(x) && x.lead_bank === ICBC && leadOn(x, '2024-01-01') === ICBC && !disbursedIn(x, ['2024-01', '2024-02', '2024-03']));
  expect(f, 'a financing firm led by 工行 since 2023 without a disbursement in 2024Q1').toBeDefined();
  return f!;
};
/** HF: a 华容区 financing firm with a lead bank since before May 2024 and nothing recorded after 2024-05-31 (HF_DAY). */
const HF_DAY = '2024-05-31';
const otherBank = (f: Firm) => ['中国建设银行鄂州分行', '交通银行鄂州分行'].find((b) => b !== leadOn(f, HF_DAY))!;
const pickHF = () => {
  const f = firms.find((x) => x.district === HR && financingThroughout(x) && leadOn(x, '2024-05-01') !== null && quiet(x, HF_DAY));
  expect(f, 'a quiet 华容区 financing firm').toBeDefined();
  return f!;
};

const REC_HEADER = ['序号', '统一社会信用代码', '企业名称', '所在区', '推荐部门', '推荐日期', '推荐理由', '超额理由'];
async function recommendList(name: string, rows: [number, string][]): Promise<string> {
  const f = sb.path(name);
  await writeXlsx(f, { 名单: [['信用培植工程企业推荐名单'], REC_HEADER, ...rows.map(([n, date], i) => [i + 1, newCode(n), nameOf(newCode(n)), HR, '华容区经济和信息化局', date, '订单增长，流动资金不足', null])] });
  return f;
}

/** `collect make` for one unit and month (by the PBOC, on LATER); the workbook's path. */
async function workbook(month: string, unit: string): Promise<string> {
  const dir = sb.path(`made-${month}-${unit}`);
  const r = await ok(PBOC, LATER, ['collect', 'make', '--month', month, '--unit', unit, '--out', dir, '--json']);
  const made = r.json().workbooks as { unit: string; file: string }[];
  expect(made).toHaveLength(1);
  return made[0]!.file;
}

let F: Firm;
let HF: Firm;
let files: Record<string, string>;

describe('late entries', () => {
  beforeAll(async () => {
    F = pickF();
    HF = pickHF();
    // the workbooks are made first: making one is recorded, entering nothing
    const icbcMay = await workbook('2024-05', ICBC);
    const icbcJune = await workbook('2024-06', ICBC);
    const hrMay = await workbook('2024-05', OFFICE_UNIT);
    const hrJune = await workbook('2024-06', OFFICE_UNIT);
    files = {
      // a late workbook for a closed month, with a loan of 30 to F on 2024-05-20
      icbcMay: await fill(sb, icbcMay, (wb) => fillLoans(wb, [[F.code, '放款', 30, '2024-05-20', 3.95, 12, '信用', '否']])),
      // a workbook for a month still open, returned on LATER (given an earlier receipt date below)
      icbcJune: await fill(sb, icbcJune, (wb) => fillFeedback(wb, '六月：走访主办企业')),
      hrMay: await fill(sb, hrMay, (wb) => fillFeedback(wb, '五月工作情况（补报）')),
      hrJune: await fill(sb, hrJune, (wb) => fillFeedback(wb, '六月工作情况')),
      recOld: await recommendList('推荐名单-1900.xlsx', [[901, '1900-01-01'], [902, '2024-06-20']]),
      recLastYear: await recommendList('推荐名单-2023.xlsx', [[903, '2023-11-15']]),
    };
    beforeAttempts = await sb.fingerprint();
  }, 180_000);

  /** Each attempt of a unit (or of the PBOC without --correction): exit 3, the database untouched. */
  async function refused(who: string, args: string[], message: RegExp, code = 3) {
    const r = await run(who, LATER, args);
    expect(r.code, `${who}: ${args.join(' ')} → ${r.stdout}${r.stderr}`).toBe(code);
    expect(r.stderr, `${who}: ${args.join(' ')}`).toMatch(message);
    expect(await sb.fingerprint(), `${who}: ${args.join(' ')} wrote something`).toBe(beforeAttempts);
  }
  const CLOSED = (month: string) => new RegExp(`${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月已结报：补录须由人民银行以更正方式登记`);

  it('a district finance office: every way in is refused, nothing written', async () => {
    await refused(OFFICE, ['loan', HF.code, '--kind', 'disbursement', '--amount', '10', '--date', HF_DAY], CLOSED('2024-05'));
    await refused(OFFICE, ['satisfaction', HF.code, '--rating', '满意', '--date', HF_DAY], CLOSED('2024-05'));
    await refused(OFFICE, ['close', HF.code, '--outcome', 'withdrawn', '--note', '企业主动退出', '--date', HF_DAY], CLOSED('2024-05'));
    await refused(OFFICE, ['assign', HF.code, '--bank', otherBank(HF), '--mode', 'designated', '--reason', '原主办行额度紧张', '--date', HF_DAY], CLOSED('2024-05'));
    await refused(OFFICE, ['feedback', 'add', '--from', HR, '--month', '2024-02', '--text', '二月工作情况', '--date', '2024-03-05'], /./);
    // a capacity is the PBOC's to set at any date: a unit is refused that (exit 4) whatever the date
    await refused(OFFICE, ['pool', 'capacity', '12', '--district', HR, '--date', '2024-03-01'], /不能设置华容区的名单容量/, 4);
    await refused(OFFICE, ['reclassify', HF.code, '--to', 'cultivation', '--reason', '财务制度不规范', '--date', HF_DAY], CLOSED('2024-05'));
    await refused(OFFICE, ['coach', 'add', HF.code, '--item', '完善财务制度，规范记账', '--org', '财政', '--due', '2024-07-31', '--date', HF_DAY], CLOSED('2024-05'));
    await refused(OFFICE, ['recommend', '--code', newCode(904), '--name', nameOf(newCode(904)), '--district', HR, '--dept', '经信', '--date', '2024-02-01'], CLOSED('2024-02'));
    await refused(OFFICE, ['recommend', 'import', files.recOld!], /1900-01-01/);
    await refused(OFFICE, ['recommend', 'import', files.recLastYear!], CLOSED('2023-11'));
    // only the PBOC gives a receipt date, or a reason for a correction
    await refused(OFFICE, ['collect', 'import', files.hrJune!, '--received', '2024-07-01'], /./);
    await refused(OFFICE, ['feedback', 'add', '--from', HR, '--month', '2024-06', '--text', '六月工作情况', '--correction', '补录'], /./);
  });

  it('a member department: every way in is refused, nothing written', async () => {
    await refused(DEPT, ['recommend', '--code', newCode(905), '--name', nameOf(newCode(905)), '--district', HR, '--dept', '经信', '--date', '2024-02-01'], CLOSED('2024-02'));
    await refused(DEPT, ['recommend', 'import', files.recOld!], /1900-01-01/);
    await refused(DEPT, ['recommend', 'import', files.recLastYear!], CLOSED('2023-11'));
  });

  it('a bank: every way in is refused, nothing written', async () => {
    await refused(BANK, ['loan', F.code, '--kind', 'disbursement', '--amount', '10', '--date', '2024-01-20'], CLOSED('2024-01'));
    await refused(BANK, ['coach', 'add', F.code, '--item', '办理不动产权证', '--org', ICBC, '--due', '2024-03-31', '--date', '2024-01-20'], CLOSED('2024-01'));
    await refused(BANK, ['feedback', 'add', '--from', ICBC, '--month', '2024-02', '--text', '二月：走访主办企业', '--date', '2024-03-05'], /./);
    await refused(BANK, ['collect', 'import', files.icbcMay!], CLOSED('2024-05'));
    await refused(BANK, ['collect', 'import', files.icbcJune!, '--received', '2024-07-01'], /./);
    await refused(BANK, ['loan', F.code, '--kind', 'credit', '--amount', '10', '--date', '2024-06-20', '--correction', '补录'], /./);
  });

  it('the PBOC without --correction: refused and told to give one, nothing written', async () => {
    const hint = /--correction/;
    await refused(PBOC, ['loan', F.code, '--kind', 'disbursement', '--amount', '50', '--date', '2024-01-20'], hint);
    await refused(PBOC, ['pool', 'capacity', '12', '--district', HR, '--date', '2024-03-01'], hint);
    await refused(PBOC, ['satisfaction', HF.code, '--rating', '满意', '--date', HF_DAY], hint);
    await refused(PBOC, ['close', HF.code, '--outcome', 'withdrawn', '--note', '企业主动退出', '--date', HF_DAY], hint);
    await refused(PBOC, ['assign', HF.code, '--bank', otherBank(HF), '--mode', 'designated', '--reason', '原主办行额度紧张', '--date', HF_DAY], hint);
    await refused(PBOC, ['feedback', 'add', '--from', HR, '--month', '2024-02', '--text', '二月工作情况', '--date', '2024-03-05'], hint);
    await refused(PBOC, ['recommend', '--code', newCode(906), '--name', nameOf(newCode(906)), '--district', HR, '--dept', '经信', '--date', '2024-02-01'], hint);
    await refused(PBOC, ['recommend', 'import', files.recLastYear!], hint);
    await refused(PBOC, ['collect', 'import', files.icbcMay!], hint);
    await refused(PBOC, ['collect', 'import', files.icbcJune!, '--received', '2024-07-01'], hint);
  });

  it('the bounds hold even for a correction: before the programme start, after today; a report of a period not begun', async () => {
    const dayBefore = new Date(Date.parse(`${startOn}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    await refused(PBOC, ['recommend', '--code', newCode(907), '--name', nameOf(newCode(907)), '--district', HR, '--dept', '经信', '--date', dayBefore, '--correction', '补录'], /./);
    await refused(PBOC, ['recommend', 'import', files.recOld!, '--correction', '补录'], /1900-01-01/);
    await refused(PBOC, ['loan', F.code, '--kind', 'credit', '--amount', '10', '--date', '2024-07-06', '--correction', '补录'], /./);
    for (const [kind, period] of [['monthly', '2024-08'], ['quarterly', '2024Q4'], ['annual', '2025']]) {
      const r = await run(PBOC, LATER, ['report', kind!, '--period', period!]);
      expect(r.code, `${kind} ${period}: ${r.stderr}`).toBe(2);
    }
    // a period that has begun is reported, as preliminary figures
    expect((await jsonOf(LATER, { kind: 'monthly', label: '2024-07', months: [] })).final).toBe(false);
  });
});

// ---- the corrections, and their effect worked out by hand ----

type Step = { what: string; args: string[]; apply: (p: Period, j: Json) => void };

const round = (x: number) => Math.round(x * 100) / 100;
const districtRow = (j: Json, name: string) => j.districts.find((d: Json) => d.district === name);
const bankRow = (j: Json, name: string) => j.banks.find((b: Json) => b.bank === name);
const endMonth = (p: Period) => p.months.at(-1)!;
const sumVacancies = (j: Json) => (j.total.vacancies = j.districts.reduce((s: number, d: Json) => s + d.vacancies, 0));

/**
 * A disbursement of `amount` 万元 to firm `f` on `day`, by its lead bank `bank`, into the published figures `j` of
 * `p`; `earlier`: the days of the firm's disbursements recorded by the corrections before this one.
 */
function loanEffect(f: Firm, bank: string, day: string, amount: number, earlier: string[] = []) {
  return (p: Period, j: Json) => {
    const rows = [districtRow(j, f.district), j.total, bankRow(j, bank), j.banks_total];
    const month = day.slice(0, 7);
    /** Whether the firm had another disbursement in these months (from the history, or an earlier correction). */
    const other = (from: string, to: string) =>
      f.loans.some((l) => l.kind === 'disbursement' && l.date.slice(0, 7) >= from && l.date.slice(0, 7) <= to) || earlier.some((d) => d.slice(0, 7) >= from && d.slice(0, 7) <= to);
    if (p.months.includes(month)) {
      for (const r of rows) r.loan_amount = round(r.loan_amount + amount);
      // counted once per firm and period: a firm with no other disbursement in the period is one more
      if (!other(p.months[0]!, endMonth(p))) for (const r of rows) r.loan_firms += 1;
    }
    // the cumulative figures: 本年累计 (from January of the period's year) in monthly and quarterly reports,
    // 开展以来累计 (from the programme's start) in annual ones; a firm counts once over the whole span
    const [suffix, from] = p.kind === 'annual' ? ['since_start', '0000-01'] : ['ytd', `${endMonth(p).slice(0, 4)}-01`];
    if (month >= from && month <= endMonth(p)) {
      for (const r of rows) r[`loan_amount_${suffix}`] = round(r[`loan_amount_${suffix}`] + amount);
      if (!other(from, endMonth(p))) for (const r of rows) r[`loan_firms_${suffix}`] += 1;
    }
  };
}

let steps: Step[];
let G: Firm;
/** Per period: the revised figures, and each correction that moves it with the figures it moves (from → to). */
/** The reports made on LATER after the corrections, by the test that made them first (a report writes nothing). */
const revisedJson = new Map<string, Json>();
const laterJson = new Map<string, Json>();
let corrected: Map<string, { figures: Json; effects: number; changes: { step: Step; changes: Change[] }[] }>;

type Change = { table: string; row: string; figure: string; from: unknown; to: unknown };
/** Every figure that differs between two versions of a report's tables, as 修订说明 lists them. */
function changesBetween(a: Json, b: Json): Change[] {
  const out: Change[] = [];
  const rows = (j: Json): [string, string, Json][] => [
    ...j.districts.map((r: Json) => ['districts', r.district, r]),
    ['total', j.total.district, j.total],
    ...j.banks.map((r: Json) => ['banks', r.bank, r]),
    ['banks_unassigned', j.banks_unassigned.bank, j.banks_unassigned],
    ['banks_other', j.banks_other.bank, j.banks_other],
    ['banks_total', j.banks_total.bank, j.banks_total],
  ];
  const before = new Map(rows(a).map(([t, n, r]) => [`${t}/${n}`, r]));
  for (const [table, row, r] of rows(b)) {
    const o = before.get(`${table}/${row}`);
    for (const figure of Object.keys(r)) if (o[figure] !== r[figure]) out.push({ table, row, figure, from: o[figure], to: r[figure] });
  }
  return out;
}

/** A report's JSON without its revisions (the list, and the flag of a revised report). */
const figuresOf = (j: Json) => {
  const { revisions: _r, revised: _v, ...rest } = j;
  return rest;
};

describe('corrections by the PBOC', () => {
  beforeAll(async () => {
    // G: a firm to close as withdrawn on 2024-03-20, quiet since, with no coaching items, whose lead bank still
    // leads others at the end of April and May (so the bank's feedback obligations do not change).
    G = firms.find((x) => {
      if (x === F || x.coaching.length > 0 || !quiet(x, '2024-03-20')) return false;
      const bank = leadOn(x, '2024-03-20');
      return bank !== null && ['2024-04', '2024-05'].every((m) => (bankRow(pubJson.get(m), bank)?.active ?? 0) >= 2);
    })!;
    expect(G, 'a quiet firm to close').toBeDefined();
    const bankG = leadOn(G, '2024-03-20')!;
    // D2: another district, whose capacity is raised by 2 from 2024-03-01
    const D2 = pubJson.get('2024-03').districts.map((d: Json) => d.district).find((n: string) => n !== G.district) as string;
    const capacity = async (district: string) => {
      const pool = (await ok(PBOC, BUILT, ['pool', 'show', '--district', district, '--json'])).json();
      const [one] = await sb.sql<{ n: number }>('select count(*) as n from capacity_change where region_code = ?', [districtRow(pubJson.get('2024-03'), district).code]);
      expect(Number(one!.n), `${district} has had one capacity`).toBe(1);
      return pool.capacity as number;
    };
    const cap2 = await capacity(D2);
    const capG = await capacity(G.district);
    for (const p of periods) {
      const j = pubJson.get(p.label);
      for (const d of j.districts) if (d.district === D2 || d.district === G.district) expect(d.vacancies).toBe(Math.max(0, (d.district === D2 ? cap2 : capG) - d.active));
    }
    // D3/M3: a district that sent no feedback in time for a month of 2024Q1 (else April or May)
    const fb = ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05']
      .flatMap((m) => pubJson.get(m).districts.filter((d: Json) => d.feedback === false).map((d: Json) => ({ month: m, district: d.district as string })))[0];
    expect(fb, 'a district without feedback for a month of 2024').toBeDefined();

    steps = [
      {
        what: `loan ${F.code} 50 on 2024-01-20`,
        args: ['loan', F.code, '--kind', 'disbursement', '--amount', '50', '--date', '2024-01-20', '--correction', '工行放款漏报，据放款凭证补录'],
        apply: loanEffect(F, ICBC, '2024-01-20', 50),
      },
      {
        what: `capacity of ${D2} ${cap2} → ${cap2 + 2} from 2024-03-01`,
        args: ['pool', 'capacity', String(cap2 + 2), '--district', D2, '--date', '2024-03-01', '--correction', '市里 2 月底发文调增名单容量，漏登记'],
        apply: (p, j) => {
          if (endMonth(p) < '2024-03') return;
          const d = districtRow(j, D2);
          d.vacancies = Math.max(0, cap2 + 2 - d.active);
          sumVacancies(j);
        },
      },
      {
        what: `feedback of ${fb!.district} for ${fb!.month}`,
        args: ['feedback', 'add', '--from', fb!.district, '--month', fb!.month, '--text', '纸质反馈', '--date', `${nextMonth(fb!.month)}-05`, '--correction', '纸质反馈已于截止日前收到'],
        apply: (p, j) => {
          if (!p.months.includes(fb!.month)) return;
          const d = districtRow(j, fb!.district);
          d.feedback_months += 1;
          d.feedback = d.feedback_months === d.feedback_owed;
          j.total.feedback_months += 1;
          j.total.feedback = j.districts.every((x: Json) => x.feedback === true);
        },
      },
      {
        what: `closing of ${G.code} on 2024-03-20`,
        args: ['close', G.code, '--outcome', 'withdrawn', '--note', '企业 3 月已退出，区金融办漏报', '--date', '2024-03-20', '--correction', '据区金融办 3 月退出名单补录'],
        apply: (p, j) => {
          if (p.months.includes('2024-03')) for (const r of [districtRow(j, G.district), j.total]) r.closed_withdrawn += 1;
          if (endMonth(p) < '2024-03') return;
          for (const r of [districtRow(j, G.district), j.total, bankRow(j, bankG), j.banks_total]) r.active -= 1;
          const d = districtRow(j, G.district);
          d.vacancies = Math.max(0, capG - d.active);
          sumVacancies(j);
        },
      },
      {
        // a rating is a yearly figure: 2024 is not final, so no published figure moves
        what: `rating of ${F.code} on 2024-03-12`,
        args: ['satisfaction', F.code, '--rating', '满意', '--date', '2024-03-12', '--correction', '问卷 3 月已回收，漏登记'],
        apply: () => {},
      },
      {
        what: `工行's late workbook for 2024-05: ${F.code} 30 on 2024-05-20`,
        args: ['collect', 'import', files.icbcMay!, '--correction', '工行 5 月报送表 6 月 8 日已交纸质件'],
        apply: loanEffect(F, ICBC, '2024-05-20', 30, ['2024-01-20']),
      },
    ];
    // the revised figures of each period, and how many corrections move it
    corrected = new Map();
    for (const p of periods) {
      const j = structuredClone(figuresOf(pubJson.get(p.label)));
      const changes: { step: Step; changes: Change[] }[] = [];
      for (const s of steps) {
        const before = structuredClone(j);
        s.apply(p, j);
        const moved = changesBetween(before, j);
        if (moved.length > 0) changes.push({ step: s, changes: moved });
      }
      corrected.set(p.label, { figures: j, effects: changes.length, changes });
    }
  });

  it('records each correction', async () => {
    for (const s of steps) await ok(PBOC, LATER, s.args);
    const [n] = await sb.sql<{ n: number }>('select count(*) as n from correction');
    expect(Number(n!.n)).toBe(steps.length);
  });

  it('units still enter the month that is open as before, without a correction', async () => {
    await ok(BANK, LATER, ['loan', F.code, '--kind', 'credit', '--amount', '5', '--date', '2024-06-20']);
    await ok(BANK, LATER, ['collect', 'import', files.icbcJune!]);
    await ok(OFFICE, LATER, ['feedback', 'add', '--from', HR, '--month', '2024-06', '--text', '六月工作情况']);
    // a district's workbook for a closed month holds only its feedback: received today, it is simply late
    await ok(OFFICE, LATER, ['collect', 'import', files.hrMay!]);
    const history = (await ok(OFFICE, LATER, ['feedback', 'show', '--month', '2024-05', '--from', HR, '--json'])).json();
    expect(history.at(-1)).toMatchObject({ submitted_on: LATER, status: 'late' });
    const [n] = await sb.sql<{ n: number }>('select count(*) as n from correction');
    expect(Number(n!.n)).toBe(steps.length);
  });

  const untouched = () => periods.filter((p) => corrected.get(p.label)!.effects === 0);
  it('the periods no correction moves: JSON, CSV, HTML and Word byte-identical', async () => {
    expect(untouched().map((p) => p.label)).toContain('2023');
    for (const p of untouched()) {
      for (const ext of EXTS[p.kind].filter((e) => e !== 'xlsx')) {
        const again = await output(LATER, p, ext);
        expect(again.bytes.equals(published.get(key(p, ext))!.bytes), key(p, ext)).toBe(true);
      }
    }
  });

  it('the periods no correction moves: monthly Excel byte-identical', async () => {
    for (const p of untouched().filter((x) => x.kind === 'monthly')) expect((await output(LATER, p, 'xlsx')).bytes.equals(published.get(key(p, 'xlsx'))!.bytes), key(p, 'xlsx')).toBe(true);
  });

  it('the periods no correction moves: quarterly and annual Excel byte-identical', async () => {
    for (const p of untouched().filter((x) => x.kind !== 'monthly')) expect((await output(LATER, p, 'xlsx')).bytes.equals(published.get(key(p, 'xlsx'))!.bytes), key(p, 'xlsx')).toBe(true);
  });

  it('the periods corrections move: the same figures as published, noting how many corrections (CSV unchanged)', async () => {
    const moved = periods.filter((p) => corrected.get(p.label)!.effects > 0);
    // the loan of January moves January, every later month's cumulative loans and 2024Q1
    expect(moved.map((p) => p.label)).toEqual(expect.arrayContaining(['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024Q1']));
    for (const p of moved) {
      const n = corrected.get(p.label)!.effects;
      const note = `本期有 ${n} 项更正（--revised 查看）`;
      const j = await jsonOf(LATER, p);
      laterJson.set(p.label, j);
      expect(figuresOf(j), p.label).toEqual(figuresOf(pubJson.get(p.label)));
      expect(j.revisions, p.label).toHaveLength(n);
      const terminal = await ok(PBOC, LATER, ['report', p.kind, '--period', p.label]);
      expect(terminal.stdout + terminal.stderr, p.label).toContain(note);
      // CSV is the tables alone: as published
      expect((await output(LATER, p, 'csv')).bytes.equals(published.get(key(p, 'csv'))!.bytes), key(p, 'csv')).toBe(true);
      for (const ext of EXTS[p.kind].filter((e) => e !== 'json' && e !== 'csv')) {
        const now = text(await output(LATER, p, ext));
        expect(now, key(p, ext)).toContain(note);
        expect(text(published.get(key(p, ext))!), key(p, ext)).not.toContain('项更正');
      }
    }
  });

  it('--revised: the published figures plus each correction’s effect, as worked out by hand', async () => {
    for (const p of periods) {
      const j = await jsonOf(LATER, p, ['--revised']);
      revisedJson.set(p.label, j);
      expect(figuresOf(j), p.label).toEqual(corrected.get(p.label)!.figures);
    }
  });

  it('修订说明: each correction that moves a period, in the order recorded, with who, when, why and every figure it moves', async () => {
    for (const p of periods) {
      const { changes } = corrected.get(p.label)!;
      const j = revisedJson.get(p.label) ?? (await jsonOf(LATER, p, ['--revised']));
      expect(j.revised, p.label).toBe(true);
      expect(j.revisions.map((r: Json) => r.reason), p.label).toEqual(changes.map((c) => c.step.args.at(-1)));
      j.revisions.forEach((r: Json, i: number) => {
        expect(r.actor, p.label).toBe(PBOC);
        expect(r.recorded_at.slice(0, 10), p.label).toBe(LATER);
        const got = r.changes.map((c: Json) => ({ table: c.table, row: c.row, figure: c.figure, from: c.from, to: c.to }));
        expect(got, `${p.label}: ${changes[i]!.step.what}`).toEqual(changes[i]!.changes);
      });
      // the default report lists the same revisions
      expect((laterJson.get(p.label) ?? (await jsonOf(LATER, p))).revisions, p.label).toEqual(j.revisions);
    }
  });

  it('--revised in every format: the note and the 修订说明 table', async () => {
    const q1 = periods.find((p) => p.label === '2024Q1')!;
    const n = corrected.get('2024Q1')!.effects;
    expect(n).toBeGreaterThanOrEqual(3);
    for (const ext of EXTS.quarterly.filter((e) => e !== 'json')) {
      const revised = text(await output(LATER, q1, ext, ['--revised']));
      // the CSV carries the tables and the 修订说明 table; the others also say that the figures are revised ones
      if (ext !== 'csv') expect(revised, ext).toContain(`本表为修订数：含 ${n} 项更正，见修订说明`);
      expect(revised, ext).toContain('修订说明');
      for (const { step } of corrected.get('2024Q1')!.changes) expect(revised, `${ext}: ${step.what}`).toContain(step.args.at(-1)!);
    }
  });
});
