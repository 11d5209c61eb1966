/**
 * The server is the boundary: each unit's login, with its own password and any PostgreSQL client, can do no
 * more than its account may through xypz's commands. A table of SQL statements per role (人民银行 管理员 and
 * 操作员, 区金融办, 政府部门, 金融机构, 查询员), each run as that role's real login on the demo database, each
 * in a transaction that is rolled back: those that must be refused, those that must change nothing, those that
 * must succeed, and what each may read. A second table: what the CLI refuses a login, the server refuses the
 * same login as the equivalent SQL; and the commands a login may run still work through the policies.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAMPED } from '../src/store/recording.js';
import { code } from './cases.js';
import { databaseUrl } from './engines.js';
import { demoSandbox, TODAY, type RunResult, type Sandbox } from './helpers.js';
import { makeLogins, runAs, setServerClock } from './real-logins.js';

const ADMIN = { env: { XYPZ_ACTOR: 'demo_admin' } };
const tag = randomBytes(3).toString('hex');

/** The suite's logins (roles belong to the whole server: a tag keeps parallel runs apart). */
const L = {
  pbocAdmin: `pa_${tag}`,
  pbocOp: `po_${tag}`,
  district: `fo_${tag}`,
  dept: `dp_${tag}`,
  bank: `bk_${tag}`,
  viewer: `qv_${tag}`,
};
type Who = keyof typeof L;

const BANK = '中国工商银行鄂州分行';
const DEPT = '华容区经济和信息化局';
const HR = '420703';

let sb: Sandbox;
const clients = new Map<Who, pg.Client>();
const passwords = new Map<string, string>();

/** Facts of the demo database the statements refer to, read as the superuser. */
const F = {
  bankId: 0,
  otherBankId: 0,
  deptId: 0,
  ownCase: 0, // an open case the bank leads
  ownFirm: '',
  otherCase: 0, // an open case another bank leads, in another district
  otherFirm: '',
  otherLoan: 0, // a loan of another bank on a firm the bank never led
  hrCase: 0, // an open case of 华容区 in the list
  hrFirm: '',
  hrEarly: 0, // a case of 华容区 before verification
  hrVerified: 0, // a verified case of 华容区 (not yet in the list)
  hrAssigned: 0, // a case of 华容区 with a lead bank
  ecCase: 0, // an open case outside 华容区
  ecFirm: '',
  ecAccount: '', // an account of a unit outside 华容区
  hrAccount: '', // an account of a unit of 华容区
  counts: { all: 0, bank: 0, district: 0, dept: 0, users: 0 },
  ownLoan: 0, // a loan of the bank, entered by command, on a firm it leads
  bookLoan: 0, // a loan of the bank that its May workbook brought in
  firstReturn: 0, // the bank's May workbook, returned
  correction: 0, // its corrected May workbook, returned later
  book: 0, // the bank's May workbook
  pbocId: 0,
  hrClosedEarly: 0, // a case of 华容区 closed in a month whose figures are final
  hrOpenFirm: '', // a firm of 华容区 whose case is open, the last one (the other tests close the first)
  bankItem: 0, // an open coaching item given to the bank, on a firm it leads
  start: '', // the programme's start (the demo's: its history's first day)
  beforeStart: '', // the day before
};

async function superQuery<T>(text: string): Promise<T[]> {
  return sb.sql<T>(text);
}

beforeAll(async () => {
  sb = await demoSandbox();
  const rows = [
    { login: L.pbocAdmin, org: '中国人民银行鄂州市分行', kind: '人民银行', region: '鄂州市', role: '管理员' },
    { login: L.pbocOp, org: '中国人民银行鄂州市分行', kind: '人民银行', region: '鄂州市', role: '操作员' },
    { login: L.district, org: '华容区金融办', kind: '金融办', region: '华容区', role: '操作员' },
    { login: L.dept, org: DEPT, kind: '政府部门', region: '华容区', role: '操作员' },
    { login: L.bank, org: BANK, kind: '金融机构', region: '鄂州市', role: '操作员' },
    { login: L.viewer, org: BANK, kind: '金融机构', region: '鄂州市', role: '查询员' },
  ];
  for (const [login, password] of await makeLogins(sb, rows, '1390000')) passwords.set(login, password);
  const one = async <T>(text: string): Promise<T> => (await superQuery<T>(text))[0]!;
  F.bankId = (await one<{ id: number }>(`select id from org where name = '${BANK}'`)).id;
  F.deptId = (await one<{ id: number }>(`select id from org where name = '${DEPT}'`)).id;
  const own = await one<{ id: number; code: string }>(
    `select id, enterprise_code as code from case_file where lead_bank_id = ${F.bankId} and stage = 'assigned' order by id limit 1`,
  );
  F.ownCase = own.id;
  F.ownFirm = own.code;
  const bankScope = `(select c.enterprise_code from case_file c where c.lead_bank_id = ${F.bankId}
      union select c.enterprise_code from bank_assignment a join case_file c on c.id = a.case_id where a.bank_id = ${F.bankId}
      union select c.enterprise_code from coaching_item i join case_file c on c.id = i.case_id where i.org_id = ${F.bankId})`;
  const other = await one<{ id: number; code: string; bank: number }>(
    `select id, enterprise_code as code, lead_bank_id as bank from case_file
      where stage = 'assigned' and region_code <> '${HR}' and enterprise_code not in ${bankScope} order by id limit 1`,
  );
  F.otherCase = other.id;
  F.otherFirm = other.code;
  F.otherBankId = other.bank;
  F.otherLoan = (await one<{ id: number }>(`select l.id from loan l join case_file c on c.id = l.case_id where c.region_code <> '${HR}' and c.enterprise_code not in ${bankScope} order by l.id limit 1`)).id;
  const hr = await one<{ id: number; code: string }>(`select id, enterprise_code as code from case_file where region_code = '${HR}' and stage in ('confirmed', 'assigned') order by id limit 1`);
  F.hrCase = hr.id;
  F.hrFirm = hr.code;
  F.hrEarly = (await one<{ id: number }>(`select id from case_file where region_code = '${HR}' and stage in ('recommended', 'declared') order by id limit 1`)).id;
  F.hrAssigned = (await one<{ id: number }>(`select id from case_file where region_code = '${HR}' and stage = 'assigned' order by id limit 1`)).id;
  const ec = await one<{ id: number; code: string }>(`select id, enterprise_code as code from case_file where region_code = '420704' and stage not in ('closed', 'rejected') order by id limit 1`);
  F.ecCase = ec.id;
  F.ecFirm = ec.code;
  F.ecAccount = (await one<{ login: string }>(`select u.login_key as login from app_user u join org o on o.id = u.org_id where o.region_code = '420704' order by u.id limit 1`)).login;
  F.hrAccount = (await one<{ login: string }>(`select u.login_key as login from app_user u join org o on o.id = u.org_id where o.region_code = '${HR}' and u.login_key <> '${L.district}' order by u.id limit 1`)).login;
  F.counts.all = (await one<{ n: number }>(`select count(*) as n from enterprise`)).n;
  F.counts.bank = (await one<{ n: number }>(`select count(*) as n from ${bankScope} s`)).n;
  F.counts.district = (await one<{ n: number }>(`select count(*) as n from enterprise where region_code = '${HR}'`)).n;
  F.counts.dept = (
    await one<{ n: number }>(`select count(*) as n from (select c.enterprise_code from case_file c where c.recommended_by = ${F.deptId}
      union select c.enterprise_code from coaching_item i join case_file c on c.id = i.case_id where i.org_id = ${F.deptId}) s`)
  ).n;
  F.counts.users = (await one<{ n: number }>(`select count(*) as n from app_user`)).n;
  // The bank's May workbook, returned twice (the second a correction), and a loan each way.
  const book = await one<{ id: number }>(
    `insert into collection_workbook (org_id, month, digest, made_at, file, actor) values (${F.bankId}, '2024-05', 'd${tag}', ${now}, 'b.xlsx', 'demo_admin') returning id`,
  );
  const returned = async (day: string) =>
    (
      await one<{ id: number }>(
        `insert into collection_return (org_id, month, workbook_id, file, sha256, received_on, rows, actor, created_at)
         values (${F.bankId}, '2024-05', ${book.id}, 'b.xlsx', '${day}', '${day}', 1, 'demo_admin', ${now}) returning id`,
      )
    ).id;
  F.book = book.id;
  F.bankItem = (
    await one<{ id: number }>(
      `insert into coaching_item (case_id, item, org_id, status, added_on, created_at) values (${F.ownCase}, '补办抵押登记${tag}', ${F.bankId}, 'open', '2024-06-01', ${now}) returning id`,
    )
  ).id;
  F.start = (await one<{ start_on: string }>(`select start_on from programme`)).start_on;
  F.hrOpenFirm = (await one<{ code: string }>(`select enterprise_code as code from case_file where region_code = '${HR}' and stage in ('confirmed', 'assigned') order by id desc limit 1`)).code;
  F.beforeStart = new Date(Date.parse(`${F.start}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  F.pbocId = (await one<{ id: number }>(`select id from org where kind = 'pboc'`)).id;
  F.hrClosedEarly = (await one<{ id: number }>(`select id from case_file where region_code = '${HR}' and closed_on < '2024-05-01' and closed_on not like '%-01' order by id limit 1`)).id;
  F.firstReturn = await returned('2024-06-05');
  F.correction = await returned('2024-06-20');
  const loan = async (collection: number | null) =>
    (
      await one<{ id: number }>(
        `insert into loan (case_id, bank_id, kind, amount_cents, loan_on, created_at, collection_id) values (${F.ownCase}, ${F.bankId}, 'credit', 500, '2024-05-10', ${now}, ${collection}) returning id`,
      )
    ).id;
  F.bookLoan = await loan(F.firstReturn);
  F.ownLoan = await loan(null);
  expect(F.counts.bank).toBeGreaterThan(0);
  expect(F.counts.bank).toBeLessThan(F.counts.all);
  expect(F.counts.dept).toBeGreaterThan(0);
  for (const [who, login] of Object.entries(L) as [Who, string][]) {
    const c = new pg.Client({ connectionString: databaseUrl(new URL(sb.db).pathname.slice(1), { name: login, password: passwords.get(login)! }) });
    await c.connect();
    clients.set(who, c);
  }
}, 180_000);

afterAll(async () => {
  for (const c of clients.values()) await c.end().catch(() => undefined);
  sb?.cleanup();
});

/**
 * What a statement must do: be refused; run and change or return nothing; either of those (blocked); run and
 * change or return rows; return `n` rows.
 */
type Outcome = 'refused' | 'nothing' | 'blocked' | 'done' | { count: number | (() => number) };

interface Case {
  who: Who[];
  what: string;
  sql: () => string;
  must: Outcome;
  /** Part of the error the server gives (a refusal); a function for one naming the database's facts. */
  says?: RegExp | (() => RegExp);
  /** Checked afterwards as the superuser (what a rollback does not undo). */
  after?: () => Promise<void>;
}

interface Result {
  error?: string;
  rows: number;
}

/** Runs statements in a transaction that is rolled back, as `who`; the last statement's result. */
async function attempt(who: Who, text: string): Promise<Result> {
  const c = clients.get(who)!;
  await c.query('begin');
  try {
    const r = await c.query(text);
    const last = Array.isArray(r) ? r.at(-1)! : r;
    return { rows: last.rowCount ?? 0 };
  } catch (e) {
    return { error: (e as Error).message, rows: 0 };
  } finally {
    await c.query('rollback');
  }
}

const WRITERS: Who[] = ['pbocAdmin', 'pbocOp', 'district', 'dept', 'bank'];
const EVERYONE: Who[] = [...WRITERS, 'viewer'];
const NOT_PBOC: Who[] = ['district', 'dept', 'bank', 'viewer'];
const now = `'2024-06-15T10:00:00.000+08:00'`;
const loanInsert = (caseId: () => number, bank: () => number, on = '2024-06-01') => () =>
  `insert into xypz.loan (case_id, bank_id, kind, amount_cents, loan_on, created_at) values (${caseId()}, ${bank()}, 'credit', 100, '${on}', ${now})`;

/**
 * The late-entry rule runs at commit (a deferred trigger: the correction may follow the records it covers);
 * appended to a statement rolled back, it runs the check now.
 */
const AT_COMMIT = '; set constraints all immediate';
/** A correction as xypz records it, claiming another actor, unit and time: the server takes none of them. */
const correctionInsert = `insert into xypz.correction (reason, what, actor, org_id, command, recorded_at)
  values ('纸质报表补录', '贷款（2024-04-15）', 'demo_admin', null, 'loan', '2024-04-15 09:00:00.000')`;

/** A withdrawal record of `loan` by the return `by`, as a corrected workbook writes it (`set` changes a field of the copy). */
const withdrawal = (loan: () => number, by: () => number, set = '') => () =>
  `insert into xypz.loan_withdrawn (id, case_id, bank_id, kind, amount_cents, loan_on, rate_bp, term_months, guarantee, first_loan, note, collection_id, created_at, recorded_at, withdrawn_on, withdrawn_by, withdrawn_at)
   select id, case_id, bank_id, kind, amount_cents, loan_on, rate_bp, term_months, guarantee, first_loan, note, collection_id, created_at, recorded_at, '${TODAY}', ${by()}, ${now}
     from xypz.loan where id = ${loan()}${set}`;

/** Every table of the schema (a test below checks the list): no login deletes from any but loan. */
const TABLES = [
  'app_user', 'audit_log', 'audit_log_counter', 'audit_row_state', 'bank_assignment', 'capacity_change', 'case_event', 'case_file', 'coaching_item', 'collection_return',
  'collection_workbook', 'correction', 'correction_xact', 'declaration', 'enterprise', 'feedback', 'import_batch', 'kysely_migration', 'kysely_migration_lock', 'loan',
  'loan_withdrawn', 'org', 'pool_filing', 'programme', 'reclassification', 'recording', 'region', 'satisfaction', 'server_clock', 'verification',
];

const CASES: Case[] = [
  // --- the issue's statements
  {
    who: NOT_PBOC,
    what: 'an account makes itself a PBOC administrator',
    sql: () => `update xypz.app_user set org_id = 1, role = 'admin' where login_key = lower(session_user)`,
    must: 'blocked',
  },
  { who: ['pbocOp'], what: 'a PBOC operator promotes itself', sql: () => `update xypz.app_user set role = 'admin' where login_key = lower(session_user)`, must: 'blocked' },
  { who: EVERYONE, what: "multiplies another bank's loan", sql: () => `update xypz.loan set amount_cents = amount_cents * 10 where id = ${F.otherLoan}`, must: 'refused', says: /permission denied/ },
  { who: ['bank', 'dept', 'district', 'viewer'], what: "deletes another bank's loan in another district", sql: () => `delete from xypz.loan where id = ${F.otherLoan}`, must: 'blocked' },
  { who: EVERYONE, what: 'rewrites the audit log', sql: () => `update xypz.audit_log set actor = 'x'`, must: 'refused', says: /permission denied/ },
  { who: EVERYONE, what: 'deletes the audit log', sql: () => `delete from xypz.audit_log`, must: 'refused', says: /permission denied/ },
  { who: EVERYONE, what: 'moves the audit counter', sql: () => `update xypz.audit_log_counter set last_id = 0`, must: 'refused', says: /permission denied/ },
  { who: ['viewer'], what: 'a 查询员 calls restore_identities()', sql: () => `select xypz.restore_identities()`, must: 'refused', says: /permission denied for function/ },
  {
    who: WRITERS,
    what: 'restore_identities() with a forged setting moves no sequence forward',
    sql: () => `select set_config('xypz_store.ids_at_start', '{"loan_id_seq": 900000000}', true); select xypz.restore_identities()`,
    must: 'done',
    after: async () => {
      const [seq] = await superQuery<{ last: number }>(`select coalesce(pg_sequence_last_value('xypz.loan_id_seq'), 0) as last`);
      const [top] = await superQuery<{ top: number }>(`select max(id) as top from loan`);
      expect(seq!.last).toBeLessThan(900000000);
      expect(seq!.last).toBeGreaterThanOrEqual(top!.top);
    },
  },
  // --- deleting: only a loan, only as a corrected workbook withdraws it
  ...TABLES.filter((t) => t !== 'loan').map(
    (t): Case => ({ who: EVERYONE, what: `deletes from ${t}`, sql: () => `delete from xypz.${t}`, must: 'refused', says: /permission denied/ }),
  ),
  { who: ['bank', 'pbocOp'], what: 'deletes a loan entered by command, leaving no trace', sql: () => `delete from xypz.loan where id = ${F.ownLoan}`, must: 'refused', says: /不能直接删除/ },
  { who: ['bank', 'pbocOp'], what: "deletes its workbook's loan without recording the withdrawal", sql: () => `delete from xypz.loan where id = ${F.bookLoan}`, must: 'refused', says: /不能直接删除/ },
  { who: ['bank'], what: 'deletes every loan of the firms it leads', sql: () => `delete from xypz.loan`, must: 'refused', says: /不能直接删除/ },
  {
    who: ['bank'],
    what: 'records a withdrawal of a loan entered by command, then deletes it',
    sql: () => `${withdrawal(() => F.ownLoan, () => F.correction)()}; delete from xypz.loan where id = ${F.ownLoan}`,
    must: 'refused',
    says: /不是由月度报送表报来的/,
  },
  { who: ['bank'], what: 'a withdrawal record with another amount', sql: () => withdrawal(() => F.bookLoan, () => F.correction)().replace('select id, case_id, bank_id, kind, amount_cents,', 'select id, case_id, bank_id, kind, amount_cents + 1,'), must: 'refused', says: /不一致/ },
  { who: ['bank'], what: 'a withdrawal by the workbook that brought the loan in', sql: withdrawal(() => F.bookLoan, () => F.firstReturn), must: 'refused', says: /更正后的报送表/ },
  {
    who: ['bank'],
    what: 'a withdrawal record for a loan it keeps counting',
    sql: () => `${withdrawal(() => F.bookLoan, () => F.correction)()}; set constraints all immediate`,
    must: 'refused',
    says: /仍在贷款表中/,
  },
  {
    who: ['bank', 'pbocOp'],
    what: 'withdraws its workbook’s loan as a corrected workbook does',
    sql: () =>
      `${withdrawal(() => F.bookLoan, () => F.correction)()}; delete from xypz.loan where id = ${F.bookLoan}; set constraints all immediate;
       select * from xypz.loan_withdrawn where id = ${F.bookLoan}`,
    must: { count: 1 },
  },
  // --- sequences, functions, DDL, roles
  { who: EVERYONE, what: 'moves a sequence', sql: () => `select setval('xypz.loan_id_seq', 1000000)`, must: 'refused', says: /permission denied/ },
  { who: EVERYONE, what: 'takes a sequence value', sql: () => `select nextval('xypz.loan_id_seq')`, must: 'refused', says: /permission denied/ },
  { who: EVERYONE, what: 'calls a trigger function', sql: () => `select xypz.case_file_guard()`, must: 'refused' },
  { who: EVERYONE, what: 'creates a table', sql: () => `create table xypz.mine (x int)`, must: 'refused', says: /permission denied/ },
  { who: EVERYONE, what: 'drops a table', sql: () => `drop table xypz.loan`, must: 'refused', says: /must be owner/ },
  { who: EVERYONE, what: 'turns row-level security off', sql: () => `alter table xypz.enterprise disable row level security`, must: 'refused', says: /must be owner/ },
  { who: EVERYONE, what: 'adds a policy', sql: () => `create policy mine on xypz.enterprise using (true)`, must: 'refused', says: /must be owner/ },
  { who: EVERYONE, what: 'replaces a scope function', sql: () => `create or replace function xypz.unit_sees_all() returns boolean language sql as 'select true'`, must: 'refused' },
  { who: EVERYONE, what: 'truncates a table', sql: () => `truncate xypz.loan`, must: 'refused', says: /permission denied/ },
  { who: EVERYONE, what: 'SET ROLE to the superuser', sql: () => `set role postgres`, must: 'refused', says: /permission denied/ },
  { who: ['viewer'], what: 'a 查询员 takes the writers’ role', sql: () => `set role xypz_writer`, must: 'refused', says: /permission denied/ },
  { who: ['bank'], what: 'SET ROLE to its group still sees only its firms', sql: () => `set local role xypz_writer; select * from xypz.enterprise`, must: { count: () => F.counts.bank } },
  // --- reading outside the scope
  { who: ['pbocAdmin', 'pbocOp'], what: 'reads every firm', sql: () => `select * from xypz.enterprise`, must: { count: () => F.counts.all } },
  { who: ['bank', 'viewer'], what: 'reads only the firms it leads or led', sql: () => `select * from xypz.enterprise`, must: { count: () => F.counts.bank } },
  { who: ['district'], what: 'reads only its district’s firms', sql: () => `select * from xypz.enterprise`, must: { count: () => F.counts.district } },
  { who: ['dept'], what: 'reads only the firms it recommended or holds items of', sql: () => `select * from xypz.enterprise`, must: { count: () => F.counts.dept } },
  { who: ['bank', 'viewer', 'dept'], what: "reads another district's case", sql: () => `select * from xypz.case_file where id = ${F.otherCase}`, must: { count: 0 } },
  { who: ['bank', 'viewer'], what: "reads another bank's loan", sql: () => `select * from xypz.loan where id = ${F.otherLoan}`, must: { count: 0 } },
  { who: ['bank', 'viewer'], what: "reads another firm's history", sql: () => `select * from xypz.case_event where case_id = ${F.otherCase}`, must: { count: 0 } },
  { who: ['bank', 'dept', 'viewer'], what: 'reads only its own account', sql: () => `select * from xypz.app_user`, must: { count: 1 } },
  { who: ['pbocAdmin', 'pbocOp'], what: 'reads every account', sql: () => `select * from xypz.app_user`, must: { count: () => F.counts.users } },
  { who: ['district'], what: "reads another district's account", sql: () => `select * from xypz.app_user where login_key = '${F.ecAccount}'`, must: { count: 0 } },
  { who: ['bank', 'dept', 'district', 'viewer'], what: 'reads the audit log beyond its last entry', sql: () => `select * from xypz.audit_log`, must: { count: 1 } },
  // --- writing outside the scope
  { who: ['viewer'], what: 'a 查询员 writes anything', sql: () => `insert into xypz.feedback (from_kind, from_key, month, text, submitted_on, created_at, updated_at) values ('bank', '${F.bankId}', '2024-05', 'x', '2024-06-01', ${now}, ${now})`, must: 'refused', says: /permission denied/ },
  { who: ['viewer'], what: 'a 查询员 updates a case', sql: () => `update xypz.case_file set last_progress_on = '2024-06-01' where id = ${F.ownCase}`, must: 'refused', says: /permission denied/ },
  { who: ['bank'], what: "records a loan on another bank's firm", sql: loanInsert(() => F.otherCase, () => F.bankId), must: 'refused', says: /row-level security/ },
  { who: ['bank'], what: 'records another bank’s loan on its own firm', sql: loanInsert(() => F.ownCase, () => F.otherBankId), must: 'refused', says: /row-level security/ },
  { who: ['dept'], what: 'a department records a loan', sql: loanInsert(() => F.ownCase, () => F.bankId), must: 'refused', says: /row-level security/ },
  { who: ['district'], what: "records a loan in another district", sql: loanInsert(() => F.ecCase, () => F.bankId), must: 'refused', says: /row-level security/ },
  { who: ['bank'], what: 'closes its own firm’s case', sql: () => `update xypz.case_file set stage = 'closed', closed_on = '2024-06-01' where id = ${F.ownCase}`, must: 'refused', says: /只有人民银行和本区金融办/ },
  { who: ['bank'], what: 'makes itself the lead bank of another firm', sql: () => `update xypz.case_file set lead_bank_id = ${F.bankId} where id = ${F.otherCase}`, must: 'nothing' },
  { who: ['district'], what: "closes another district's case", sql: () => `update xypz.case_file set stage = 'closed' where id = ${F.ecCase}`, must: 'nothing' },
  { who: ['district', 'pbocAdmin'], what: "moves a case to another district", sql: () => `update xypz.case_file set region_code = '420704' where id = ${F.hrCase}`, must: 'refused', says: /permission denied/ },
  { who: WRITERS, what: 'rewrites when a case was recorded', sql: () => `update xypz.case_file set created_at = '2020-01-01' where id = ${F.hrCase}`, must: 'refused', says: /permission denied/ },
  { who: WRITERS, what: "changes a loan's lender", sql: () => `update xypz.loan set bank_id = ${F.bankId}`, must: 'refused', says: /permission denied/ },
  { who: ['district'], what: 'makes an account of its district a PBOC administrator', sql: () => `update xypz.app_user set org_id = 1, role = 'admin' where login_key = '${F.hrAccount}'`, must: 'refused', says: /row-level security/ },
  { who: ['district'], what: "disables another district's account", sql: () => `update xypz.app_user set enabled = 0 where login_key = '${F.ecAccount}'`, must: 'nothing' },
  { who: ['pbocOp', 'bank', 'dept'], what: 'disables an account', sql: () => `update xypz.app_user set enabled = 0 where login_key = '${F.hrAccount}'`, must: 'nothing' },
  { who: ['district', 'dept', 'bank'], what: 'adds a unit', sql: () => `insert into xypz.org (code, name, kind, region_code, created_at) values ('X-${tag}', '假机构${tag}', 'bank', '420700', ${now})`, must: 'refused', says: /row-level security/ },
  { who: ['district', 'dept', 'bank'], what: 'changes a district’s list capacity', sql: () => `update xypz.region set capacity = 99`, must: 'nothing' },
  { who: ['dept'], what: 'recommends in another department’s name', sql: () => `insert into xypz.case_file (enterprise_code, region_code, stage, recommended_on, recommended_by, last_progress_on, created_at, updated_at) values ('${F.ownFirm}', '${HR}', 'recommended', '2024-06-01', ${F.deptId + 1}, '2024-06-01', ${now}, ${now})`, must: 'refused', says: /row-level security/ },
  { who: ['district'], what: 'opens a second case for a firm with an open one', sql: () => `insert into xypz.case_file (enterprise_code, region_code, stage, recommended_on, recommended_by, last_progress_on, created_at, updated_at) select enterprise_code, region_code, 'recommended', '2024-06-01', recommended_by, '2024-06-01', ${now}, ${now} from xypz.case_file where id = ${F.hrCase}`, must: 'refused', says: /case_one_open/ },
  { who: ['bank'], what: "sends another bank's feedback", sql: () => `insert into xypz.feedback (from_kind, from_key, month, text, submitted_on, created_at, updated_at) values ('bank', '${F.otherBankId}', '2024-05', 'x', '2024-06-01', ${now}, ${now})`, must: 'refused', says: /row-level security/ },
  // --- the workflow's invariants, whatever the client sends
  { who: ['district', 'pbocOp'], what: 'skips stages (recommended or declared → assigned)', sql: () => `update xypz.case_file set stage = 'assigned' where id = ${F.hrEarly}`, must: 'refused', says: /办理阶段不能/ },
  { who: ['district'], what: 'reopens a closed case', sql: () => `update xypz.case_file set stage = 'assigned' where region_code = '${HR}' and stage = 'closed'`, must: 'refused', says: /办理阶段不能/ },
  { who: ['district'], what: 'records a new case already assigned', sql: () => `insert into xypz.enterprise (code, name, region_code, created_at, updated_at) values ('S${tag}', '跳步${tag}', '${HR}', ${now}, ${now}); insert into xypz.case_file (enterprise_code, region_code, stage, recommended_on, recommended_by, last_progress_on, created_at, updated_at) values ('S${tag}', '${HR}', 'assigned', '2024-06-01', ${F.deptId || 1}, '2024-06-01', ${now}, ${now})`, must: 'refused', says: /已推荐/ },
  { who: ['district'], what: 'gives a case a second current lead bank', sql: () => `insert into xypz.bank_assignment (case_id, bank_id, mode, assigned_on, created_at) values (${F.hrAssigned}, ${F.bankId}, 'designated', '2024-06-01', ${now})`, must: 'refused', says: /bank_assignment_one_current/ },
  { who: ['district'], what: 'checks a rule in a REPEATABLE READ snapshot', sql: () => `set transaction isolation level repeatable read; update xypz.case_file set stage = 'closed', closed_on = '2024-06-01', outcome = 'withdrawn' where id = ${F.hrCase}`, must: 'refused', says: /read committed/ },
  // --- what each may do
  { who: ['bank'], what: 'records its own loan on a firm it leads', sql: loanInsert(() => F.ownCase, () => F.bankId), must: 'done' },
  { who: ['bank'], what: "moves its firm's progress date", sql: () => `update xypz.case_file set last_progress_on = '2024-06-14' where id = ${F.ownCase}`, must: 'done' },
  { who: ['district', 'pbocOp'], what: "closes a case of its district", sql: () => `update xypz.case_file set stage = 'closed', closed_on = '2024-06-01', outcome = 'withdrawn' where id = ${F.hrCase}`, must: 'done' },
  { who: ['district', 'pbocAdmin'], what: 'disables an account of its district', sql: () => `update xypz.app_user set enabled = 0 where login_key = '${F.hrAccount}'`, must: 'done' },
  { who: ['pbocAdmin', 'pbocOp'], what: 'adds a unit', sql: () => `insert into xypz.org (code, name, kind, region_code, created_at) values ('X-${tag}', '假机构${tag}', 'bank', '420700', ${now})`, must: 'done' },
  { who: ['bank'], what: 'sends its own feedback', sql: () => `insert into xypz.feedback (from_kind, from_key, month, text, submitted_on, created_at, updated_at) values ('bank', '${F.bankId}', '2024-05', 'x', '${TODAY}', ${now}, ${now})${AT_COMMIT}; select * from xypz.feedback where submitted_on = '${TODAY}'`, must: 'done' },
  { who: ['bank', 'viewer', 'district', 'dept'], what: 'reads the reference data', sql: () => `select * from xypz.org`, must: 'done' },
  // --- recorded dates and closed months: the server's clock says today (TODAY); May and before are final
  { who: ['bank'], what: 'backdates its loan into a closed month', sql: () => loanInsert(() => F.ownCase, () => F.bankId, '2024-04-15')() + AT_COMMIT, must: 'refused', says: /^2024年4月已结报：补录须由人民银行以更正方式登记/ },
  { who: ['district'], what: 'backdates a loan into a closed month', sql: () => loanInsert(() => F.hrAssigned, () => F.bankId, '2024-05-31')() + AT_COMMIT, must: 'refused', says: /^2024年5月已结报：补录须由人民银行以更正方式登记/ },
  { who: ['pbocOp', 'pbocAdmin'], what: 'backdates a loan without a correction', sql: () => loanInsert(() => F.ownCase, () => F.bankId, '2024-04-15')() + AT_COMMIT, must: 'refused', says: /^2024年4月已结报：补录是对已发布数字的更正/ },
  { who: ['pbocOp', 'pbocAdmin'], what: 'backdates a loan as a correction', sql: () => `${loanInsert(() => F.ownCase, () => F.bankId, '2024-04-15')()}; ${correctionInsert}${AT_COMMIT}; select * from xypz.loan where loan_on = '2024-04-15'`, must: 'done' },
  { who: ['pbocOp'], what: 'enters a loan in a month still open, no correction needed', sql: () => `${loanInsert(() => F.ownCase, () => F.bankId, '2024-06-01')()}${AT_COMMIT}; select * from xypz.loan where loan_on = '2024-06-01'`, must: 'done' },
  { who: ['bank', 'district', 'dept'], what: 'records a correction (to backdate a loan)', sql: () => `${correctionInsert}; ${loanInsert(() => F.ownCase, () => F.bankId, '2024-04-15')()}${AT_COMMIT}`, must: 'refused', says: /^只有人民银行（管理员、操作员）可以登记更正/ },
  { who: ['viewer'], what: 'a 查询员 records a correction', sql: () => correctionInsert, must: 'refused', says: /permission denied/ },
  { who: ['district'], what: 'closes a case on a day of a closed month', sql: () => `update xypz.case_file set stage = 'closed', closed_on = '2024-05-31', outcome = 'withdrawn' where id = ${F.hrCase}${AT_COMMIT}`, must: 'refused', says: /^2024年5月已结报/ },
  { who: ['district', 'pbocOp'], what: 'moves a closing out of a closed month', sql: () => `update xypz.case_file set closed_on = left(closed_on, 7) || '-01' where id = ${F.hrClosedEarly}${AT_COMMIT}`, must: 'refused', says: /已结报/ },
  {
    who: ['dept'],
    what: 'recommends a firm on a day of a closed month',
    sql: () => `insert into xypz.enterprise (code, name, region_code, created_at, updated_at) values ('B${tag}', '补推${tag}', '${HR}', ${now}, ${now});
      insert into xypz.case_file (enterprise_code, region_code, stage, recommended_on, recommended_by, over_quota_reason, last_progress_on, created_at, updated_at)
      values ('B${tag}', '${HR}', 'recommended', '2024-03-01', ${F.deptId}, '重点企业', '2024-03-01', ${now}, ${now})${AT_COMMIT}`,
    must: 'refused',
    says: /^2024年3月已结报/,
  },
  { who: ['bank'], what: 'gives its firm a coaching item on a day of a closed month', sql: () => `insert into xypz.coaching_item (case_id, item, org_id, status, added_on, created_at) values (${F.ownCase}, '补办', ${F.bankId}, 'open', '2024-05-20', ${now})${AT_COMMIT}`, must: 'refused', says: /^2024年5月已结报/ },
  { who: ['bank'], what: 'closes its coaching item on a day of a closed month', sql: () => `update xypz.coaching_item set status = 'done', closed_on = '2024-05-31' where id = ${F.bankItem}${AT_COMMIT}`, must: 'refused', says: /^2024年5月已结报/ },
  { who: ['district'], what: "ends a lead bank's term on a day of a closed month", sql: () => `update xypz.bank_assignment set ended_on = '2024-05-31' where case_id = ${F.hrAssigned} and ended_on is null${AT_COMMIT}`, must: 'refused', says: /^2024年5月已结报/ },
  { who: ['district'], what: 'records a rating given in a closed month', sql: () => `insert into xypz.satisfaction (case_id, rating, rated_on, created_at) values (${F.hrCase}, 'satisfied', '2024-04-30', ${now})${AT_COMMIT}`, must: 'refused', says: /^2024年4月已结报/ },
  { who: ['district'], what: 'reclassifies a firm on a day of a closed month', sql: () => `insert into xypz.reclassification (case_id, from_class, to_class, changed_on, reason, created_at) values (${F.hrCase}, 'financing', 'cultivation', '2024-05-02', '补录', ${now})${AT_COMMIT}`, must: 'refused', says: /^2024年5月已结报/ },
  { who: ['district'], what: 'records a declaration submitted in a closed month', sql: () => `insert into xypz.declaration (case_id, submitted_on, authorised, data, meta, current, created_at) values (${F.hrEarly}, '2024-05-15', 1, '{}', '{}', 0, ${now})${AT_COMMIT}`, must: 'refused', says: /^2024年5月已结报/ },
  { who: ['district'], what: "files its district's list on a day of a closed month", sql: () => `insert into xypz.pool_filing (region_code, filed_on, cases, created_at) values ('420703', '2024-05-31', '[]', ${now})${AT_COMMIT}`, must: 'refused', says: /^2024年5月已结报/ },
  { who: ['pbocOp'], what: 'sets a capacity in force from a closed month', sql: () => `insert into xypz.capacity_change (region_code, capacity, effective_on, created_at) values ('${HR}', 99, '2024-05-01', ${now})${AT_COMMIT}`, must: 'refused', says: /^2024年5月已结报/ },
  { who: ['bank'], what: 'dates its loan after today', sql: () => loanInsert(() => F.ownCase, () => F.bankId, '2024-06-16')() + AT_COMMIT, must: 'refused', says: /^日期 2024-06-16 晚于今天（2024-06-15）/ },
  {
    who: ['pbocOp'],
    what: 'dates a loan before the programme began, as a correction',
    sql: () => `${loanInsert(() => F.ownCase, () => F.bankId, F.beforeStart)()}; ${correctionInsert}${AT_COMMIT}`,
    must: 'refused',
    says: () => new RegExp(`^日期 ${F.beforeStart} 早于工作开始日期（${F.start}）`),
  },
  { who: ['bank'], what: 'sends its feedback dated before today', sql: () => `insert into xypz.feedback (from_kind, from_key, month, text, submitted_on, created_at, updated_at) values ('bank', '${F.bankId}', '2024-05', 'x', '2024-06-09', ${now}, ${now})${AT_COMMIT}`, must: 'refused', says: /登记日期 2024-06-09 不是今天/ },
  {
    who: ['bank'],
    what: 'returns its workbook with an earlier receipt date',
    sql: () => `insert into xypz.collection_return (org_id, month, workbook_id, file, sha256, received_on, rows, actor, created_at) values (${F.bankId}, '2024-05', ${F.book}, 'b.xlsx', 'e${tag}', '2024-06-05', 1, lower(session_user), ${now})${AT_COMMIT}`,
    must: 'refused',
    says: /登记日期 2024-06-05 不是今天/,
  },
  { who: WRITERS, what: 'rewrites when a loan was recorded', sql: () => `update xypz.loan set recorded_at = '2024-01-01 00:00:00.000'`, must: 'refused', says: /permission denied/ },
  { who: WRITERS, what: "rewrites when a case's steps were recorded", sql: () => `update xypz.case_file set closed_recorded_at = null, recommended_recorded_at = '2024-01-01' where id = ${F.hrCase}`, must: 'refused', says: /permission denied/ },
  { who: WRITERS, what: 'rewrites when a correction was recorded', sql: () => `update xypz.correction set recorded_at = '2024-01-01'`, must: 'refused', says: /permission denied/ },
  { who: EVERYONE, what: "sets the server's clock", sql: () => `update xypz.server_clock set today = '2024-05-01'`, must: 'refused', says: /permission denied/ },
  { who: EVERYONE, what: 'claims a correction for its transaction', sql: () => `insert into xypz.correction_xact (correction_id, xact) values (1, pg_current_xact_id())`, must: 'refused', says: /permission denied/ },
  { who: EVERYONE, what: "reads the server's clock", sql: () => `select * from xypz.server_clock where today = '${TODAY}'`, must: { count: 1 } },
  { who: EVERYONE, what: "moves the server's today by its time zone", sql: () => `set local timezone = 'Etc/GMT+12'; select 1 where xypz.server_today() = '${TODAY}'`, must: { count: 1 } },
];

it('the table of deletes names every table of the schema', async () => {
  const tables = await superQuery<{ name: string }>(`select c.relname as name from pg_class c where c.relnamespace = 'xypz'::regnamespace and c.relkind = 'r' order by 1`);
  expect(tables.map((t) => t.name)).toEqual(TABLES);
});

it("every stamped table has the server's stamps and late-entry rule, on every event date it records", async () => {
  const defs = new Map(
    (
      await superQuery<{ tab: string; name: string; def: string }>(
        `select c.relname as tab, g.tgname as name, pg_get_triggerdef(g.oid) as def from pg_trigger g join pg_class c on c.oid = g.tgrelid
          where g.tgname in ('recorded_by_server', 'late_entry_checked') and c.relnamespace = 'xypz'::regnamespace`,
      )
    ).map((r) => [`${r.tab} ${r.name}`, r.def]),
  );
  const args = (def: string | undefined) => [...(def?.match(/\((.*)\)$/)?.[1] ?? '').matchAll(/'([^']*)'/g)].map((m) => m[1]!);
  for (const [table, pairs] of Object.entries(STAMPED)) {
    const stamps = args(defs.get(`${table} recorded_by_server`));
    const dates = args(defs.get(`${table} late_entry_checked`));
    for (const [event, stamp] of pairs) {
      // a withdrawn loan keeps the loan's own stamp and date (a copy the server checks field by field)
      if (table === 'loan_withdrawn' && event === 'loan_on') continue;
      expect(stamps, `${table}.${stamp}`).toContain(stamp);
      expect(dates, `${table}.${event}`).toContain(event);
    }
  }
  expect(args(defs.get('correction recorded_by_server'))).toEqual(['', 'recorded_at']);
});

it('every table but the audit log, its bookkeeping and the migrations has the audit trigger', async () => {
  const audited = await superQuery<{ name: string }>(
    `select c.relname as name from pg_trigger g join pg_class c on c.oid = g.tgrelid where g.tgname = 'audit_row_change' and c.relnamespace = 'xypz'::regnamespace order by 1`,
  );
  const own = ['audit_log', 'audit_log_counter', 'audit_row_state', 'correction_xact', 'kysely_migration', 'kysely_migration_lock', 'server_clock'];
  expect(audited.map((t) => t.name)).toEqual(TABLES.filter((t) => !own.includes(t)));
});

const rows = CASES.flatMap((c) => c.who.map((who) => [`${who}: ${c.what}`, who, c] as const));

describe('the attack table: each role, as its own login, in psql', () => {
  it.each(rows)('%s', async (_name, who, c) => {
    const r = await attempt(who, c.sql());
    const must = c.must;
    if (must === 'blocked' && r.error !== undefined) {
      expect(r.error).toMatch(/permission denied|row-level security/);
    } else if (must === 'refused') {
      expect(r.error, `ran: ${c.sql()}`).toBeDefined();
      if (c.says) expect(r.error).toMatch(typeof c.says === 'function' ? c.says() : c.says);
    } else {
      expect(r.error, c.sql()).toBeUndefined();
      if (must === 'nothing' || must === 'blocked') expect(r.rows).toBe(0);
      else if (must === 'done') expect(r.rows).toBeGreaterThan(0);
      else expect(r.rows).toBe(typeof must.count === 'function' ? must.count() : must.count);
    }
    await c.after?.();
  });
});

/** The CLI as `who`'s login. */
function cli(who: Who, args: string[]): Promise<RunResult> {
  return runAs(sb, L[who], passwords.get(L[who])!, args);
}

describe('the server and the CLI agree', () => {
  const REFUSED: { who: Who; args: () => string[]; sql: () => string; what: string }[] = [
    { who: 'bank', what: "a loan on another bank's firm", args: () => ['loan', F.otherFirm, '--kind', 'credit', '--amount', '1', '--date', '2024-06-01'], sql: loanInsert(() => F.otherCase, () => F.bankId) },
    { who: 'bank', what: 'a loan by another bank', args: () => ['loan', F.ownFirm, '--kind', 'credit', '--amount', '1', '--date', '2024-06-01', '--bank', '农行'], sql: loanInsert(() => F.ownCase, () => F.otherBankId) },
    { who: 'dept', what: 'closing a case', args: () => ['close', F.ownFirm, '--outcome', 'withdrawn', '--note', '退出', '--date', '2024-06-01'], sql: () => `update xypz.case_file set stage = 'closed' where id = ${F.ownCase}` },
    { who: 'district', what: "closing another district's case", args: () => ['close', F.ecFirm, '--outcome', 'withdrawn', '--note', '退出', '--date', '2024-06-01'], sql: () => `update xypz.case_file set stage = 'closed' where id = ${F.ecCase}` },
    { who: 'viewer', what: 'feedback by a 查询员', args: () => ['feedback', 'add', '--from', '工行', '--month', '2024-05', '--text', 'x'], sql: () => `insert into xypz.feedback (from_kind, from_key, month, text, submitted_on, created_at, updated_at) values ('bank', '${F.bankId}', '2024-05', 'x', '2024-06-01', ${now}, ${now})` },
    { who: 'pbocOp', what: 'disabling an account', args: () => ['users', 'disable', F.hrAccount, '--yes'], sql: () => `update xypz.app_user set enabled = 0 where login_key = '${F.hrAccount}'` },
    { who: 'bank', what: 'setting a list capacity', args: () => ['pool', 'capacity', '30', '--district', '华容区'], sql: () => `update xypz.region set capacity = 30` },
  ];
  it.each(REFUSED.map((r) => [`${r.who}: ${r.what}`, r] as const))('%s: refused by both', async (_name, r) => {
    const before = await sb.fingerprint();
    const run = await cli(r.who, r.args());
    expect([4, 5], run.stderr).toContain(run.code);
    const s = await attempt(r.who, r.sql());
    expect(s.error !== undefined || s.rows === 0, `the server let ${r.who} run: ${r.sql()}`).toBe(true);
    expect(await sb.fingerprint()).toBe(before);
  });

  /**
   * Late entries: refused by the CLI (exit 3, its own message) and by the server to the same login as SQL, run
   * to commit. The server's message says the same thing the CLI does.
   */
  const LATE: { who: Who; args: () => string[]; sql: () => string; what: string; says: RegExp }[] = [
    {
      who: 'bank',
      what: 'a loan dated in a closed month',
      args: () => ['loan', F.ownFirm, '--kind', 'credit', '--amount', '1', '--date', '2024-04-15'],
      sql: () => loanInsert(() => F.ownCase, () => F.bankId, '2024-04-15')() + AT_COMMIT,
      says: /2024年4月已结报：补录须由人民银行以更正方式登记/,
    },
    {
      who: 'bank',
      what: 'a loan dated in a closed month, as a correction',
      args: () => ['loan', F.ownFirm, '--kind', 'credit', '--amount', '1', '--date', '2024-04-15', '--correction', '纸质报表补录'],
      sql: () => `${correctionInsert}; ${loanInsert(() => F.ownCase, () => F.bankId, '2024-04-15')()}${AT_COMMIT}`,
      says: /人民银行/,
    },
    {
      who: 'pbocOp',
      what: 'a loan dated in a closed month, without a correction',
      args: () => ['loan', F.ownFirm, '--kind', 'credit', '--amount', '1', '--date', '2024-04-15'],
      sql: () => loanInsert(() => F.ownCase, () => F.bankId, '2024-04-15')() + AT_COMMIT,
      says: /2024年4月已结报：补录是对已发布数字的更正/,
    },
    {
      who: 'district',
      what: 'closing a case on a day of a closed month',
      args: () => ['close', F.hrOpenFirm, '--outcome', 'withdrawn', '--note', '退出', '--date', '2024-05-31'],
      sql: () => `update xypz.case_file set stage = 'closed', closed_on = '2024-05-31', outcome = 'withdrawn' where enterprise_code = '${F.hrOpenFirm}' and stage <> 'closed'${AT_COMMIT}`,
      says: /2024年5月已结报/,
    },
    {
      who: 'bank',
      what: 'a feedback dated before the day it is entered',
      args: () => ['feedback', 'add', '--from', '工行', '--month', '2024-05', '--text', '走访企业', '--date', '2024-06-09'],
      sql: () => `insert into xypz.feedback (from_kind, from_key, month, text, submitted_on, created_at, updated_at) values ('bank', '${F.bankId}', '2024-05', 'x', '2024-06-09', ${now}, ${now})${AT_COMMIT}`,
      says: /人民银行/,
    },
    {
      who: 'dept',
      what: 'a recommendation dated in a closed month',
      args: () => ['recommend', '--code', code(77001), '--name', '补推测试', '--district', '华容区', '--dept', '经信', '--date', '2024-03-01', '--over-quota', '重点企业'],
      sql: () => `insert into xypz.enterprise (code, name, region_code, created_at, updated_at) values ('L${tag}', '补推${tag}', '${HR}', ${now}, ${now});
        insert into xypz.case_file (enterprise_code, region_code, stage, recommended_on, recommended_by, over_quota_reason, last_progress_on, created_at, updated_at)
        values ('L${tag}', '${HR}', 'recommended', '2024-03-01', ${F.deptId}, '重点企业', '2024-03-01', ${now}, ${now})${AT_COMMIT}`,
      says: /2024年3月已结报/,
    },
  ];
  it.each(LATE.map((r) => [`${r.who}: ${r.what}`, r] as const))('%s: refused by both (exit 3)', async (_name, r) => {
    const before = await sb.fingerprint();
    const run = await cli(r.who, r.args());
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(r.says);
    const s = await attempt(r.who, r.sql());
    expect(s.error, `the server let ${r.who} run: ${r.sql()}`).toMatch(r.says);
    expect(await sb.fingerprint()).toBe(before);
  });

  it('the PBOC enters a loan in a closed month as a correction: the server stamps it and records who and why', async () => {
    const r = await cli('pbocOp', ['loan', F.ownFirm, '--kind', 'credit', '--amount', '3', '--date', '2024-04-16', '--correction', '纸质报表补录']);
    expect(r.code, r.stderr).toBe(0);
    const [loan] = await superQuery<{ recorded_at: string }>(`select recorded_at from loan where case_id = ${F.ownCase} and loan_on = '2024-04-16'`);
    const [c] = await superQuery<{ actor: string; org_id: number; reason: string; command: string; recorded_at: string }>(`select * from correction where reason = '纸质报表补录' order by id desc limit 1`);
    expect(c).toMatchObject({ actor: L.pbocOp, org_id: F.pbocId, reason: '纸质报表补录', command: 'loan' });
    expect(c!.recorded_at).toMatch(new RegExp(`^${TODAY} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}$`));
    expect(loan!.recorded_at).toBe(c!.recorded_at);
    expect((await sb.run(['audit', 'verify'], ADMIN)).code).toBe(0);
  });

  it('the commands each login may run work through the policies and the rules', async () => {
    const steps: [Who, string[]][] = [
      ['bank', ['loan', F.ownFirm, '--kind', 'credit', '--amount', '100', '--date', '2024-06-10']],
      ['bank', ['feedback', 'add', '--from', '工行', '--month', '2024-05', '--text', '走访企业']],
      ['bank', ['enterprise', 'list']],
      ['viewer', ['enterprise', 'show', F.ownFirm]],
      ['district', ['feedback', 'add', '--from', '华容区', '--month', '2024-05', '--text', '推进顺利']],
      ['district', ['enterprise', 'list']],
      ['dept', ['enterprise', 'list']],
      ['dept', ['recommend', '--code', '91420703MA4K3BXX4Q', '--name', '部门推荐测试', '--district', '华容区', '--dept', '经信', '--date', '2024-06-10']],
      ['dept', ['enterprise', 'show', '91420703MA4K3BXX4Q']],
      ['pbocOp', ['org', 'list']],
      ['bank', ['coach', 'add', F.ownFirm, '--item', '补办抵押登记', '--org', '工行', '--date', '2024-06-11']],
      ['district', ['close', F.hrFirm, '--outcome', 'withdrawn', '--note', '企业主动退出', '--date', '2024-06-12']],
      ['pbocOp', ['pool', 'capacity', '60', '--district', '华容区', '--date', '2024-06-13']],
      ['pbocAdmin', ['users', 'list']],
      ['district', ['users', 'list']],
      ['pbocAdmin', ['users', 'disable', F.hrAccount, '--yes']],
      ['pbocAdmin', ['users', 'enable', F.hrAccount]],
      ['pbocOp', ['audit', 'verify']],
    ];
    for (const [who, args] of steps) {
      const r = await cli(who, args);
      expect(r.code, `${who}: ${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    const list = await cli('bank', ['enterprise', 'list', '--json']);
    expect(list.json()).toHaveLength(F.counts.bank);
    expect((await sb.run(['audit', 'verify'], ADMIN)).code).toBe(0);
  });
});

/** Eight new connections of `who`'s login, each running `statements(i)` in one transaction at the same time. */
async function race(who: Who, statements: (i: number) => string): Promise<{ ok: number; errors: string[] }> {
  const url = databaseUrl(new URL(sb.db).pathname.slice(1), { name: L[who], password: passwords.get(L[who])! });
  const racers = Array.from({ length: 8 }, () => new pg.Client({ connectionString: url }));
  await Promise.all(racers.map((c) => c.connect()));
  try {
    const results = await Promise.all(
      racers.map(async (c, i) => {
        try {
          await c.query(`begin; ${statements(i)}; commit`);
          return undefined;
        } catch (e) {
          await c.query('rollback').catch(() => undefined);
          return (e as Error).message;
        }
      }),
    );
    return { ok: results.filter((r) => r === undefined).length, errors: results.filter((r): r is string => r !== undefined) };
  } finally {
    await Promise.all(racers.map((c) => c.end()));
  }
}

describe('the audit log is written by the server', () => {
  it('no login appends an entry of its own: a forged entry "by demo_admin" is refused, and so is a note that is not a read', async () => {
    for (const who of EVERYONE) {
      const forged = await attempt(
        who,
        `insert into xypz.audit_log (id, at, actor, command, entity, prev_hash, hash) values (999999, '2020-01-01T00:00:00.000+08:00', 'demo_admin', 'org add', 'org', 'x', 'y')`,
      );
      expect(forged.error, who).toMatch(/permission denied/);
      const note = await attempt(who, `select xypz.audit_note('org', '假机构', '{"name":"假机构"}')`);
      expect(note.error, who).toMatch(/只能记下自己查看了哪些个人信息、发放了哪些登录账号/);
    }
  });

  it('a change made in psql by a login is recorded by the server: the login as actor, the server clock, the context it gave; the chain verifies', async () => {
    const [top] = await superQuery<{ id: number }>(`select coalesce(max(id), 0) as id from audit_log`);
    const c = clients.get('bank')!;
    await c.query('begin');
    // the context claims another actor and time: the server takes neither
    await c.query(`select set_config('xypz_audit.context', '{"command": "loan", "actor": "demo_admin", "at": "2020-01-01", "reason": "补录"}', true)`);
    const [loan] = (await c.query<{ id: string }>(`${loanInsert(() => F.ownCase, () => F.bankId)()} returning id`)).rows;
    await c.query(`update xypz.case_file set last_progress_on = '2024-06-16' where id = ${F.ownCase}`);
    await c.query('commit');
    await c.query(`update xypz.case_file set last_progress_on = '2024-06-17' where id = ${F.ownCase}`); // no context, no transaction
    const entries = await superQuery<{ actor: string; at: string; command: string; entity: string; entity_id: string; before: string | null; after: string }>(
      `select actor, at, command, entity, entity_id, before, after from audit_log where id > ${top!.id} order by id`,
    );
    expect(entries.map((e) => [e.actor, e.command, e.entity, e.entity_id])).toEqual([
      [L.bank, 'loan', 'loan', String(loan!.id)],
      [L.bank, 'loan', 'case_file', String(F.ownCase)],
      [L.bank, '（直接改动数据库，未经 xypz）', 'case_file', String(F.ownCase)],
    ]);
    for (const e of entries) expect(e.at.slice(0, 4)).toBe(String(new Date().getFullYear()));
    // the highest id ever given moved with them (a deleted tail would show)
    const [counter] = await superQuery<{ last: number; top: number }>(`select last_id as last, (select max(id) from audit_log) as top from audit_log_counter`);
    expect(Number(counter!.last)).toBe(Number(counter!.top));
    expect(JSON.parse(entries[0]!.after)).toMatchObject({ op: 'insert', reason: '补录', row: { bank_id: F.bankId, amount_cents: 100 } });
    expect(JSON.parse(entries[2]!.before!)).toMatchObject({ last_progress_on: '2024-06-16' });
    expect(JSON.parse(entries[2]!.after)).toMatchObject({ op: 'update', row: { last_progress_on: '2024-06-17' } });
    const verify = await sb.run(['audit', 'verify', '--json'], ADMIN);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });

  it('a row changed past the triggers (the owner disabling them) is named by audit verify, and verifies again once undone', async () => {
    const [loan] = await superQuery<{ id: number; amount: number }>(`select id, amount_cents as amount from loan order by id limit 1`);
    const past = async (statement: string) =>
      superQuery(`alter table loan disable trigger audit_row_change; ${statement}; alter table loan enable trigger audit_row_change`);
    await past(`update loan set amount_cents = ${loan!.amount * 10} where id = ${loan!.id}`);
    const bad = await sb.run(['audit', 'verify'], ADMIN);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain(`表 loan 中键为 ${loan!.id} 的记录被改动，审计日志中没有这次改动`);
    const asPboc = await cli('pbocOp', ['audit', 'verify', '--json']);
    expect(asPboc.code).toBe(3);
    expect(asPboc.json().unrecorded).toEqual([{ table: 'loan', key: String(loan!.id), problem: 'changed' }]);
    await past(`update loan set amount_cents = ${loan!.amount} where id = ${loan!.id}`);
    expect((await sb.run(['audit', 'verify'], ADMIN)).code).toBe(0);
  });
});

describe('when a record was recorded is the server\'s to say', () => {
  /** Runs `statements` as `who` in one transaction and returns the last one's rows; committed if `commit`. */
  async function as<T>(who: Who, statements: string[], commit = false): Promise<T[]> {
    const c = clients.get(who)!;
    await c.query('begin');
    try {
      let rows: T[] = [];
      for (const text of statements) rows = (await c.query(text)).rows as T[];
      await c.query(commit ? 'commit' : 'rollback');
      return rows;
    } catch (e) {
      await c.query('rollback');
      throw e;
    }
  }
  const stampOf = async (who: Who) => (await as<{ s: string }>(who, ['select xypz.server_stamp() as s']))[0]!.s;

  it("a login's stamps are the server's clock, whatever the login sends: its own stamp, the client's setting, its time zone", async () => {
    const [loan] = await as<{ recorded_at: string; stamp: string }>('bank', [
      `set local timezone = 'Etc/GMT+12'`,
      `select set_config('xypz_store.recorded_at', '2024-04-01 08:00:00.000', true)`,
      `insert into xypz.loan (case_id, bank_id, kind, amount_cents, loan_on, created_at, recorded_at)
       values (${F.ownCase}, ${F.bankId}, 'credit', 100, '2024-06-14', ${now}, '2024-04-01 08:00:00.000') returning recorded_at, xypz.server_stamp() as stamp`,
    ]);
    expect(loan!.recorded_at).toMatch(new RegExp(`^${TODAY} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}$`));
    expect(loan!.recorded_at).toBe(loan!.stamp); // one stamp for the whole transaction
    // a step's stamp is set when its date is, kept when it is not touched
    const [before] = await superQuery<Record<string, string | null>>(`select * from case_file where id = ${F.hrCase}`);
    const [closed] = await as<Record<string, string | null>>('district', [
      `select set_config('xypz_store.recorded_at', '2024-04-01 08:00:00.000', true)`,
      `update xypz.case_file set stage = 'closed', closed_on = '${TODAY}', outcome = 'withdrawn' where id = ${F.hrCase} returning *`,
    ]);
    expect(closed!.closed_recorded_at).toMatch(new RegExp(`^${TODAY} `));
    for (const k of ['recommended_recorded_at', 'declared_recorded_at', 'verified_recorded_at', 'confirmed_recorded_at', 'assigned_recorded_at']) expect(closed![k], k).toBe(before![k]);
    const [progress] = await as<Record<string, string | null>>('bank', [`update xypz.case_file set last_progress_on = '${TODAY}' where id = ${F.ownCase} returning *`]);
    const [own] = await superQuery<Record<string, string | null>>(`select * from case_file where id = ${F.ownCase}`);
    for (const k of Object.keys(own!).filter((k) => k.endsWith('_recorded_at'))) expect(progress![k], k).toBe(own![k]);
  });

  it('a PBOC correction is accepted and stamped by the server: its actor, unit and time are the server\'s, the records it covers share its stamp', async () => {
    const rows = await as<{ id: string }>(
      'pbocOp',
      [
        `${loanInsert(() => F.ownCase, () => F.bankId, '2024-04-15')()} returning id`.replace("'credit', 100,", "'credit', 4242,"),
        `${correctionInsert} returning id`,
      ],
      true,
    );
    const [c] = await superQuery<{ actor: string; org_id: number; recorded_at: string; reason: string }>(`select * from correction where id = ${rows[0]!.id}`);
    const [l] = await superQuery<{ recorded_at: string }>(`select recorded_at from loan where amount_cents = 4242 and loan_on = '2024-04-15'`);
    expect(c).toMatchObject({ actor: L.pbocOp, org_id: F.pbocId, reason: '纸质报表补录' });
    expect(c!.recorded_at).toMatch(new RegExp(`^${TODAY} `));
    expect(l!.recorded_at).toBe(c!.recorded_at);
    const verify = await sb.run(['audit', 'verify'], ADMIN);
    expect(verify.code, verify.stderr).toBe(0);
  });

  it('a correction is read by those who see what it changed (the records of its transaction, with its stamp)', async () => {
    const correctionOn = async (caseId: number, bank: number, stamp: string) => {
      await superQuery(`insert into loan (case_id, bank_id, kind, amount_cents, loan_on, created_at, recorded_at) values (${caseId}, ${bank}, 'credit', 1, '2024-04-20', ${now}, '${stamp}')`);
      return (await superQuery<{ id: number }>(`insert into correction (reason, what, actor, command, recorded_at) values ('补录', '贷款', 'demo_admin', 'loan', '${stamp}') returning id`))[0]!.id;
    };
    const own = await correctionOn(F.ownCase, F.bankId, `${TODAY} 23:59:58.001`);
    const other = await correctionOn(F.otherCase, F.otherBankId, `${TODAY} 23:59:58.002`);
    const seen = async (who: Who) => (await as<{ id: string }>(who, [`select id from xypz.correction where id in (${own}, ${other}) order by id`])).map((r) => Number(r.id));
    expect(await seen('pbocOp')).toEqual([own, other]);
    expect(await seen('bank')).toEqual([own]);
    expect(await seen('viewer')).toEqual([own]);
    // 华容区's office: its district's firm only (the other firm is in another district)
    const [ownRegion] = await superQuery<{ region: string }>(`select region_code as region from case_file where id = ${F.ownCase}`);
    expect(await seen('district')).toEqual(ownRegion!.region === '420703' ? [own] : []);
  });

  it("the server's clock decides which months are final: a month stays open to its cut-off, the 10th of the next", async () => {
    try {
      for (const [today, loanOn, open] of [
        ['2024-07-10', '2024-06-20', true],
        ['2024-07-11', '2024-06-20', false],
        ['2024-07-11', '2024-07-01', true],
      ] as const) {
        await setServerClock(sb, today);
        expect(await stampOf('bank')).toMatch(new RegExp(`^${today} `));
        const r = await attempt('bank', loanInsert(() => F.ownCase, () => F.bankId, loanOn)() + AT_COMMIT);
        if (open) expect(r.error, `${loanOn} on ${today}`).toBeUndefined();
        else expect(r.error, `${loanOn} on ${today}`).toMatch(/^2024年6月已结报：补录须由人民银行以更正方式登记（loan\.loan_on = 2024-06-20；该月报送截止日 2024-07-10 已过/);
      }
      // no day set: the date now, where the programme runs
      await setServerClock(sb, null);
      const shanghai = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
      expect((await stampOf('viewer')).slice(0, 10)).toBe(shanghai);
    } finally {
      await setServerClock(sb, TODAY);
    }
  });

  it('the CLI as a login shows the server\'s refusal when its own clock is behind the server\'s (exit 3), and nothing is written', async () => {
    const count = async () => (await superQuery<{ n: number }>(`select count(*) as n from loan where case_id = ${F.ownCase} and loan_on = '2024-06-20'`))[0]!.n;
    const before = await count();
    const seq = async () => Number((await superQuery<{ last: number }>(`select pg_sequence_last_value('xypz.loan_id_seq') as last`))[0]!.last);
    const seqBefore = await seq();
    try {
      await setServerClock(sb, '2024-07-11');
      const url = databaseUrl(new URL(sb.db).pathname.slice(1), { name: L.bank, password: passwords.get(L.bank)! });
      const r = await sb.run(['loan', F.ownFirm, '--kind', 'credit', '--amount', '7777', '--date', '2024-06-20'], { env: { XYPZ_DB: url, XYPZ_ACTOR: undefined }, today: '2024-06-21' });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toContain('2024年6月已结报：补录须由人民银行以更正方式登记');
      expect(r.stderr).not.toMatch(/at .*\.(ts|js):\d+/);
      expect(await count()).toBe(before);
      // the refused write gave back the id it took, as any failed write does (restore_identities: never
      // beyond where the sequence stood, never below the highest id the table holds)
      expect(await seq()).toBeLessThanOrEqual(seqBefore);
    } finally {
      await setServerClock(sb, TODAY);
    }
  });
});

describe('eight raw-SQL clients racing, without the write lock', () => {
  it('for the last quota slot of a department: one gets it, the others are refused', async () => {
    // two recommendations already in 2030, made by the maintenance connection
    for (const i of [1, 2]) {
      await superQuery(`insert into enterprise (code, name, region_code, created_at, updated_at) values ('Q${tag}${i}', '配额${i}', '${HR}', ${now}, ${now})`);
      await superQuery(`insert into case_file (enterprise_code, region_code, stage, recommended_on, recommended_by, last_progress_on, created_at, updated_at)
                        values ('Q${tag}${i}', '${HR}', 'recommended', '2030-01-0${i}', ${F.deptId}, '2030-01-0${i}', ${now}, ${now})`);
    }
    await setServerClock(sb, '2030-04-05'); // the dates of these recommendations are no later than the server's today
    const r = await race('dept', (i) => {
      const code = `R${tag}${i}`;
      return `insert into xypz.enterprise (code, name, region_code, created_at, updated_at) values ('${code}', '抢${i}', '${HR}', ${now}, ${now});
              insert into xypz.case_file (enterprise_code, region_code, stage, recommended_on, recommended_by, last_progress_on, created_at, updated_at)
              values ('${code}', '${HR}', 'recommended', '2030-03-01', ${F.deptId}, '2030-03-01', ${now}, ${now})`;
    });
    expect(r.ok).toBe(1);
    for (const e of r.errors) expect(e).toContain('超额推荐须记录理由');
    const [made] = await superQuery<{ n: number }>(`select count(*) as n from case_file where recommended_by = ${F.deptId} and region_code = '${HR}' and recommended_on like '2030-%'`);
    expect(made!.n).toBe(3);
    // with a recorded reason, a fourth is accepted
    const over = await race('dept', (i) =>
      i > 0
        ? 'select 1'
        : `insert into xypz.enterprise (code, name, region_code, created_at, updated_at) values ('O${tag}', '超额', '${HR}', ${now}, ${now});
           insert into xypz.case_file (enterprise_code, region_code, stage, recommended_on, recommended_by, over_quota_reason, last_progress_on, created_at, updated_at)
           values ('O${tag}', '${HR}', 'recommended', '2030-04-01', ${F.deptId}, '重点企业', '2030-04-01', ${now}, ${now})`,
    );
    expect(over.ok).toBe(8);
    await setServerClock(sb, TODAY);
  });

  it("for the last vacancy of a district's list: one firm gets in, the list never overflows", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 8; i++) {
      await superQuery(`insert into enterprise (code, name, region_code, created_at, updated_at) values ('V${tag}${i}', '空缺${i}', '${HR}', ${now}, ${now})`);
      const [c] = await superQuery<{ id: number }>(
        `insert into case_file (enterprise_code, region_code, stage, class, recommended_on, recommended_by, verified_on, last_progress_on, created_at, updated_at)
         values ('V${tag}${i}', '${HR}', 'verified', 'financing', '2030-01-02', ${F.deptId}, '2030-01-10', '2030-01-10', ${now}, ${now}) returning id`,
      );
      ids.push(c!.id);
    }
    const active = `select count(*) as n from case_file where region_code = '${HR}' and confirmed_on <= '2030-02-01' and (closed_on is null or closed_on > '2030-02-01')`;
    const [before] = await superQuery<{ n: number }>(active);
    await superQuery(`insert into capacity_change (region_code, capacity, effective_on, created_at) values ('${HR}', ${before!.n + 1}, '2030-01-01', ${now})`);
    await setServerClock(sb, '2030-03-05');
    const r = await race('district', (i) => `update xypz.case_file set stage = 'confirmed', confirmed_on = '2030-02-01' where id = ${ids[i]}`);
    expect(r.ok).toBe(1);
    for (const e of r.errors) expect(e).toContain('名单容量不足');
    const [after] = await superQuery<{ n: number }>(active);
    expect(after!.n).toBe(before!.n + 1);
    // lowering the capacity below the list is refused too
    const lower = await race('pbocOp', (i) => (i > 0 ? 'select 1' : `insert into xypz.capacity_change (region_code, capacity, effective_on, created_at) values ('${HR}', ${before!.n}, '2030-03-01', ${now})`));
    expect(lower.ok).toBe(7);
    expect(lower.errors[0]).toContain('名单容量不足');
    await setServerClock(sb, TODAY);
  });
});

describe('首贷 once per firm, whatever a login sends (migration 0023)', () => {
  /** A firm the bank leads, its case open, with no 首贷 yet: a disbursement flagged 首贷 on it, as the login would insert it. */
  const firstLoan = (caseId: number, extra = '') =>
    `insert into xypz.loan (case_id, bank_id, kind, amount_cents, loan_on, first_loan, created_at${extra ? ', recorded_at' : ''})
     values (${caseId}, ${F.bankId}, 'disbursement', 100, '${TODAY}', 1, ${now}${extra ? `, ${extra}` : ''})`;
  let free = 0;
  beforeAll(async () => {
    const [c] = await superQuery<{ id: number }>(
      `select c.id from case_file c where c.lead_bank_id = ${F.bankId} and c.stage = 'assigned'
          and not exists (select 1 from loan l join case_file o on o.id = l.case_id where o.enterprise_code = c.enterprise_code and l.first_loan = 1)
        order by c.id limit 1`,
    );
    free = c!.id;
  });

  it('the bank records a firm’s 首贷 once; a second, or one sent with a stamp of its own, is refused', async () => {
    expect((await attempt('bank', firstLoan(free))).error).toBeUndefined();
    const second = await attempt('bank', `${firstLoan(free)}; ${firstLoan(free)}`);
    expect(second.error).toMatch(/首贷每户企业只有一次/);
    const stamped = await attempt('bank', `${firstLoan(free)}; ${firstLoan(free, `'2024-01-01 00:00:00.000'`)}`);
    expect(stamped.error).toMatch(/首贷每户企业只有一次/);
  });

  it('eight of its logins racing to flag the same firm: one 首贷 is recorded', async () => {
    const r = await race('bank', () => firstLoan(free));
    expect(r.ok).toBe(1);
    for (const e of r.errors) expect(e).toContain('首贷每户企业只有一次');
    const [n] = await superQuery<{ n: number }>(`select count(*) as n from loan where case_id = ${free} and first_loan = 1`);
    expect(Number(n!.n)).toBe(1);
  });
});
