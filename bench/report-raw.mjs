#!/usr/bin/env node
// The raw SQL aggregate behind `xypz report monthly`: the statements src/store/figures.ts builds with
// kysely (same text, same parameters, same order), as plain strings run with better-sqlite3. bench/report.mjs
// checks, in a traced CLI run, that the CLI executes exactly these statements, and test/sqlite-report-raw.test.ts
// checks them against the store's queries on every test run: change them together with src/store/figures.ts.
// As a child process: node bench/report-raw.mjs <db> [period YYYY-MM] → one JSON line on stdout with the
// process start cost (node + better-sqlite3 loaded), the open cost, the time of each query and its rows.
const startMs = performance.now(); // time since this process started: node's boot
const { default: Database } = await import('better-sqlite3');
const loadedMs = performance.now();

/** The span of a month period, as src/util/dates.ts gives it. */
export function monthSpan(label) {
  const [y, m] = label.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { start: `${label}-01`, end: `${label}-${String(last).padStart(2, '0')}`, months: [label] };
}

const LEAD = `(select "bank_assignment"."case_id" as "case_id", "bank_assignment"."bank_id" as "bank_id" from "bank_assignment" where "bank_assignment"."assigned_on" <= ? and ("bank_assignment"."ended_on" is null or "bank_assignment"."ended_on" > ?)) as "lead"`;
/** The firm's earliest disbursement flagged 首贷, in any of its cases (the firm: the code of the loan's case). */
const FIRST_LOAN = `("loan"."kind" = ? and "loan"."first_loan" = ? and not exists (select "earlier"."id" from "loan" as "earlier" inner join "case_file" as "earlier_case" on "earlier_case"."id" = "earlier"."case_id" inner join "case_file" as "mine" on "mine"."id" = "loan"."case_id" where "earlier_case"."enterprise_code" = "mine"."enterprise_code" and "earlier"."kind" = ? and "earlier"."first_loan" = ? and ("earlier"."loan_on" < "loan"."loan_on" or ("earlier"."loan_on" = "loan"."loan_on" and "earlier"."id" < "loan"."id"))))`;
const lastOn = (col) => `max(case when "loan"."kind" = ? then "loan"."loan_on" end) as "${col}"`;
const sumOf = (col) => `coalesce(sum(case when "loan"."kind" = ? then "loan"."amount_cents" else 0 end), 0) as "${col}"`;
/** Each case's loans (by bank: each case's under each lead bank) summed, with the day of its last 授信 and 放款 and a 首贷 flag. */
const PER_CASE = `${lastOn('credit_on')}, ${sumOf('credit_amount')}, ${lastOn('loan_on')}, ${sumOf('loan_amount')}, max(case when ${FIRST_LOAN} then 1 else 0 end) as "first_loan_firm"`;
const PER_CASE_PARAMS = ['credit', 'credit', 'disbursement', 'disbursement', 'disbursement', 1, 'disbursement', 1];
/** By bank: the group holds the firm's last loan of the kind up to the end (no loan of the firm after the group's last one). */
const holds = (day) => `("c"."${day}" is not null and not exists (select "later"."id" from "loan" as "later" inner join "case_file" as "later_case" on "later_case"."id" = "later"."case_id" where "later_case"."enterprise_code" = "case_file"."enterprise_code" and "later"."kind" = ? and "later"."loan_on" <= ? and ("later"."loan_on" > "c"."${day}" or ("later"."loan_on" = "c"."${day}" and "later"."id" > (select max("mine"."id") as "id" from "loan" as "mine" where "mine"."case_id" = "c"."case_id" and "mine"."kind" = ? and "mine"."loan_on" = "c"."${day}")))))`;
const firms = (cond, col) => `count(distinct case when ${cond} then "case_file"."enterprise_code" end) as "${col}"`;
/** The rows: the cases' sums added, their firms counted. */
const loanCols = (bank) =>
  `${firms(bank ? holds('credit_on') : '"c"."credit_on" is not null', 'credit_firms')}, coalesce(sum("c"."credit_amount"), 0) as "credit_amount", ${firms(bank ? holds('loan_on') : '"c"."loan_on" is not null', 'loan_firms')}, coalesce(sum("c"."loan_amount"), 0) as "loan_amount", ${firms('"c"."first_loan_firm" = ?', 'first_loan_firms')}`;
const LOAN_PARAMS = [1, ...PER_CASE_PARAMS];
const bankLoanParams = (e) => ['credit', e, 'credit', 'disbursement', e, 'disbursement', 1, ...PER_CASE_PARAMS];
/** The bank leading the firm on the day of the event in `day` (no row: none, the 未确定主办行 row). */
const leadOn = (table, day) => `left join "bank_assignment" as "lead" on "lead"."case_id" = "${table}"."case_id" and "lead"."assigned_on" <= "${table}"."${day}" and ("lead"."ended_on" is null or "lead"."ended_on" > "${table}"."${day}")`;
const BANK_KEY = `coalesce(cast("lead"."bank_id" as text), '')`;
/** loanCounts: by district, or by the bank leading the firm on the loan's day (a span of a monthly report: both bounds). */
const loanSql = (bank) => {
  const key = bank ? `coalesce(cast("c"."bank_id" as text), '')` : '"case_file"."region_code"';
  const perCase = bank
    ? `select "loan"."case_id" as "case_id", "lead"."bank_id" as "bank_id", ${PER_CASE} from "loan" ${leadOn('loan', 'loan_on')} where "loan"."loan_on" >= ? and "loan"."loan_on" <= ? group by "loan"."case_id", "lead"."bank_id"`
    : `select "loan"."case_id" as "case_id", ${PER_CASE} from "loan" where "loan"."loan_on" >= ? and "loan"."loan_on" <= ? group by "loan"."case_id"`;
  return `select ${key} as "key", ${loanCols(bank)} from (${perCase}) as "c" inner join "case_file" on "case_file"."id" = "c"."case_id" group by ${key}`;
};
/** The unit that handled a coaching item: a bank's id, or 'other' (the 其他单位承办 row). */
const UNIT_KEY = `case when "org"."kind" = 'bank' then cast("coaching_item"."org_id" as text) else 'other' end`;
/** The item's own closing counts when on or before its case's closing; an item still open then ended (终止) that day. */
const OWN_CLOSING = `("coaching_item"."closed_on" is not null and ("case_file"."closed_on" is null or "coaching_item"."closed_on" <= "case_file"."closed_on"))`;
const ENDED = `("case_file"."closed_on" is not null and ("coaching_item"."closed_on" is null or "coaching_item"."closed_on" > "case_file"."closed_on"))`;
const OPEN_AT_END = `("coaching_item"."added_on" <= ? and ("coaching_item"."closed_on" is null or "coaching_item"."closed_on" > ?) and ("case_file"."closed_on" is null or "case_file"."closed_on" > ?))`;
const COACH_COLS = `coalesce(sum(case when ("coaching_item"."added_on" >= ? and "coaching_item"."added_on" <= ?) then 1 else 0 end), 0) as "coaching_added", coalesce(sum(case when (("coaching_item"."closed_on" >= ? and "coaching_item"."closed_on" <= ?) and ${OWN_CLOSING}) then 1 else 0 end), 0) as "coaching_done", coalesce(sum(case when (("case_file"."closed_on" >= ? and "case_file"."closed_on" <= ?) and ${ENDED}) then 1 else 0 end), 0) as "coaching_ended", coalesce(sum(case when ${OPEN_AT_END} then 1 else 0 end), 0) as "coaching_open", coalesce(sum(case when (${OPEN_AT_END} and "coaching_item"."due" < ?) then 1 else 0 end), 0) as "coaching_overdue"`;
const coachParams = ({ start: s, end: e }) => [s, e, s, e, s, e, e, e, e, e, e, e, e];

/** The 本年累计 span of a period: from 1 January of its year to its end. */
const ytd = (p) => ({ ...p, start: `${p.end.slice(0, 4)}-01-01` });

/** name → [sql, params(span)], in the order computeFigures runs them (monthly: no ratings). */
export const QUERIES = [
  [
    'caseCounts',
    `select "case_file"."region_code" as "region", count(distinct case when ("case_file"."recommended_on" >= ? and "case_file"."recommended_on" <= ?) then "case_file"."enterprise_code" end) as "recommended", coalesce(sum(case when ("case_file"."recommended_on" >= ? and "case_file"."recommended_on" <= ?) then 1 else 0 end), 0) as "recommendations", count(distinct case when (("case_file"."recommended_on" >= ? and "case_file"."recommended_on" <= ?) and "case_file"."over_quota_reason" is not null) then "case_file"."enterprise_code" end) as "over_quota", count(distinct case when ("case_file"."confirmed_on" >= ? and "case_file"."confirmed_on" <= ?) then "case_file"."enterprise_code" end) as "confirmed", count(distinct case when ("case_file"."confirmed_on" <= ? and ("case_file"."closed_on" is null or "case_file"."closed_on" > ?)) then "case_file"."enterprise_code" end) as "active", count(distinct case when ("case_file"."assigned_on" >= ? and "case_file"."assigned_on" <= ?) then "case_file"."enterprise_code" end) as "assigned", count(distinct case when (("case_file"."closed_on" >= ? and "case_file"."closed_on" <= ?) and "case_file"."outcome" = ?) then "case_file"."enterprise_code" end) as "closed_financed", count(distinct case when (("case_file"."closed_on" >= ? and "case_file"."closed_on" <= ?) and "case_file"."outcome" = ?) then "case_file"."enterprise_code" end) as "closed_withdrawn" from "case_file" where "case_file"."recommended_on" <= ? group by "case_file"."region_code"`,
    ({ start: s, end: e }) => [s, e, s, e, s, e, s, e, e, e, s, e, s, e, 'financed', s, e, 'withdrawn', e],
  ],
  [
    'declarationCounts',
    `select "case_file"."region_code" as "region", count(distinct "case_file"."enterprise_code") as "declared" from "declaration" inner join "case_file" on "case_file"."id" = "declaration"."case_id" where "declaration"."submitted_on" >= ? and "declaration"."submitted_on" <= ? and not exists (select "earlier"."id" from "declaration" as "earlier" where "earlier"."case_id" = "declaration"."case_id" and "earlier"."submitted_on" < ?) group by "case_file"."region_code"`,
    ({ start: s, end: e }) => [s, e, s],
  ],
  [
    'verificationCounts',
    `select "case_file"."region_code" as "region", count(distinct case when "verification"."result" = ? then "case_file"."enterprise_code" end) as "verified_financing", count(distinct case when "verification"."result" = ? then "case_file"."enterprise_code" end) as "verified_cultivation", count(distinct case when "verification"."result" = ? then "case_file"."enterprise_code" end) as "rejected" from "verification" inner join "case_file" on "case_file"."id" = "verification"."case_id" where "verification"."verified_on" >= ? and "verification"."verified_on" <= ? group by "case_file"."region_code"`,
    ({ start: s, end: e }) => ['financing', 'cultivation', 'rejected', s, e],
  ],
  [
    'loanCounts(region)',
    loanSql(false),
    ({ start: s, end: e }) => [...LOAN_PARAMS, s, e],
  ],
  [
    'coachingCounts(region)',
    `select "case_file"."region_code" as "key", ${COACH_COLS} from "coaching_item" inner join "case_file" on "case_file"."id" = "coaching_item"."case_id" where "coaching_item"."added_on" <= ? and ("coaching_item"."added_on" >= ? or "coaching_item"."closed_on" is null or "coaching_item"."closed_on" >= ?) group by "case_file"."region_code"`,
    (p) => [...coachParams(p), p.end, p.start, p.start],
  ],
  [
    'loanCounts(bank)',
    loanSql(true),
    ({ start: s, end: e }) => [...bankLoanParams(e), s, e],
  ],
  [
    'coachingDoneByUnit',
    `select ${UNIT_KEY} as "key", count(*) as "coaching_done" from "coaching_item" inner join "case_file" on "case_file"."id" = "coaching_item"."case_id" inner join "org" on "org"."id" = "coaching_item"."org_id" where "coaching_item"."closed_on" >= ? and "coaching_item"."closed_on" <= ? and ${OWN_CLOSING} group by ${UNIT_KEY}`,
    ({ start: s, end: e }) => [s, e],
  ],
  [
    'coachingEndedByUnit',
    `select ${UNIT_KEY} as "key", count(*) as "coaching_ended" from "coaching_item" inner join "case_file" on "case_file"."id" = "coaching_item"."case_id" inner join "org" on "org"."id" = "coaching_item"."org_id" where "case_file"."closed_on" >= ? and "case_file"."closed_on" <= ? and "coaching_item"."added_on" <= ? and ${ENDED} group by ${UNIT_KEY}`,
    ({ start: s, end: e }) => [s, e, e],
  ],
  [
    'activeByBank',
    `select ${BANK_KEY} as "key", count(*) as "active" from "case_file" left join ${LEAD} on "lead"."case_id" = "case_file"."id" where "case_file"."confirmed_on" <= ? and ("case_file"."closed_on" is null or "case_file"."closed_on" > ?) group by ${BANK_KEY}`,
    ({ end: e }) => [e, e, e, e],
  ],
  // one placeholder per month of the period
  ['feedbackMonths', (n) => `select "from_kind", "from_key", "month", "submitted_on" from "feedback" where "month" in (${Array(n).fill('?').join(', ')})`, ({ months }) => months],
  // the lead spans behind who owes feedback for which months
  [
    'leadSpans',
    `select "bank_assignment"."bank_id", "bank_assignment"."assigned_on", "bank_assignment"."ended_on", "case_file"."closed_on" from "bank_assignment" inner join "case_file" on "case_file"."id" = "bank_assignment"."case_id" where "bank_assignment"."assigned_on" <= ? and ("bank_assignment"."ended_on" is null or "bank_assignment"."ended_on" > ?) and ("case_file"."closed_on" is null or "case_file"."closed_on" >= ?) order by "bank_assignment"."id"`,
    ({ start: s, end: e }) => [e, s, s],
  ],
  // the same statements over the 本年累计 span (1 January to the period's end), for the *_ytd figures
  [
    'caseCounts 本年累计',
    `select "case_file"."region_code" as "region", count(distinct case when ("case_file"."recommended_on" >= ? and "case_file"."recommended_on" <= ?) then "case_file"."enterprise_code" end) as "recommended", coalesce(sum(case when ("case_file"."recommended_on" >= ? and "case_file"."recommended_on" <= ?) then 1 else 0 end), 0) as "recommendations", count(distinct case when (("case_file"."recommended_on" >= ? and "case_file"."recommended_on" <= ?) and "case_file"."over_quota_reason" is not null) then "case_file"."enterprise_code" end) as "over_quota", count(distinct case when ("case_file"."confirmed_on" >= ? and "case_file"."confirmed_on" <= ?) then "case_file"."enterprise_code" end) as "confirmed", count(distinct case when ("case_file"."confirmed_on" <= ? and ("case_file"."closed_on" is null or "case_file"."closed_on" > ?)) then "case_file"."enterprise_code" end) as "active", count(distinct case when ("case_file"."assigned_on" >= ? and "case_file"."assigned_on" <= ?) then "case_file"."enterprise_code" end) as "assigned", count(distinct case when (("case_file"."closed_on" >= ? and "case_file"."closed_on" <= ?) and "case_file"."outcome" = ?) then "case_file"."enterprise_code" end) as "closed_financed", count(distinct case when (("case_file"."closed_on" >= ? and "case_file"."closed_on" <= ?) and "case_file"."outcome" = ?) then "case_file"."enterprise_code" end) as "closed_withdrawn" from "case_file" where "case_file"."recommended_on" <= ? group by "case_file"."region_code"`,
    (p) => (({ start: s, end: e }) => [s, e, s, e, s, e, s, e, e, e, s, e, s, e, 'financed', s, e, 'withdrawn', e])(ytd(p)),
  ],
  [
    'loanCounts(region) 本年累计',
    loanSql(false),
    (p) => (({ start: s, end: e }) => [...LOAN_PARAMS, s, e])(ytd(p)),
  ],
  [
    'loanCounts(bank) 本年累计',
    loanSql(true),
    (p) => (({ start: s, end: e }) => [...bankLoanParams(e), s, e])(ytd(p)),
  ],
];

/** The statements for a span: [{ name, sql, params }]. */
export function statements(span) {
  return QUERIES.map(([name, sql, params]) => ({ name, sql: typeof sql === 'function' ? sql(span.months.length) : sql, params: params(span) }));
}

/** Opens the database as the CLI does (src/store/db.ts openStore + applyPragmas). */
export function openLikeCli(file) {
  const db = new Database(file, { fileMustExist: true });
  db.pragma('busy_timeout = 10000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  return db;
}

/** Runs the statements (prepare + all) and times each. */
export function runStatements(db, stmts) {
  const out = [];
  for (const s of stmts) {
    const t = performance.now();
    const rows = db.prepare(s.sql).all(s.params);
    out.push({ name: s.name, ms: performance.now() - t, rows });
  }
  return out;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const [file, period = '2025-06'] = process.argv.slice(2);
  const t0 = performance.now();
  const db = openLikeCli(file);
  const t1 = performance.now();
  const res = runStatements(db, statements(monthSpan(period)));
  const t2 = performance.now();
  db.close();
  process.stdout.write(
    `${JSON.stringify({ startMs, loadMs: loadedMs - startMs, openMs: t1 - t0, queryMs: t2 - t1, queries: res.map((q) => ({ name: q.name, ms: q.ms, n: q.rows.length })), results: Object.fromEntries(res.map((q) => [q.name, q.rows])) })}\n`,
  );
}
