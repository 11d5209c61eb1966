/**
 * Monthly feedback (月度反馈): every district and every lead bank reports each month, by the 10th of the
 * next month (FEEDBACK_DUE_DAY). Every submission is kept: a correction is a further entry of the month's
 * history, and the month counts the latest one received by the deadline. A submission after the deadline
 * is recorded (逾期报送, on the 督办清单) but never changes the month's figure.
 */
import type { Kysely, Selectable } from 'kysely';
import { DataError, XypzError } from '../../errors.js';
import type { ColumnSpec } from '../../import/header.js';
import type { ImportSpec } from '../imports/index.js';
import { localTimestamp } from '../../store/audit.js';
import type { Store } from '../../store/db.js';
import { leadSpans } from '../../store/figures.js';
import type { DB, FeedbackTable } from '../../store/schema.js';
import { readPeriod } from '../../util/dates.js';
import { checkFreeText } from '../../util/text.js';
import { audit, authorize, bankMonthsOwed, codec, decide, defineRecord, Directory, EntryDates, feedbackDeadline, field, scopeRegions, type Actor, type RowOf, type SameShape, type ValuesOf } from '../core/index.js';

/**
 * A submission of monthly feedback, declared once (docs/records.md): its storage columns, its columns in a feedback
 * file (`feedback import`; the sender is written by name, 报送单位, and stored as its kind and key), and its identity:
 * a submission with the same sender, month, text and date is already on file and not recorded again; any other is a
 * further entry of the month's history.
 */
export const FEEDBACK = defineRecord({
  fromKind: field('from_kind', codec.oneOf(['district', 'bank'] as const), { identity: true, sheet: null }),
  fromKey: field('from_key', codec.text, { identity: true, sheet: { key: 'from', title: '报送单位', aliases: ['单位', '区域', '银行', '报送区域', '报送银行'], required: true } }),
  month: field('month', codec.text, { identity: true, sheet: { key: 'month', title: '月份', aliases: ['反馈月份', '所属月份'], required: true } }),
  text: field('text', codec.text, { identity: true, sheet: { key: 'text', title: '反馈内容', aliases: ['内容', '工作情况', '月度反馈'], required: true, multiline: true } }),
  submittedOn: field('submitted_on', codec.text, { identity: true, sheet: { key: 'date', title: '报送日期', aliases: ['日期'] } }),
  batchId: field('batch_id', codec.intOrNull, { identity: false, sheet: null }),
});

export type FeedbackSubmission = ValuesOf<typeof FEEDBACK.fields>;

/** The definition's columns are exactly the store's feedback table, but for its id and times (a column on one side alone fails here). */
export const _feedbackStorage: SameShape<RowOf<typeof FEEDBACK.fields>, Omit<Selectable<FeedbackTable>, 'id' | 'created_at' | 'updated_at' | 'recorded_at'>> = true;

export interface Sender {
  kind: 'district' | 'bank';
  key: string;
  name: string;
  region?: string;
  bankId?: number;
}

/** A district or a bank, by any of its names. */
export function resolveSender(dir: Directory, name: string): Sender {
  const region = dir.findRegion(name);
  if (region && region.level === 'district') return { kind: 'district', key: region.code, name: region.name, region: region.code };
  const org = dir.findOrg(name);
  if (org && org.kind === 'bank') return { kind: 'bank', key: String(org.id), name: org.name, bankId: org.id };
  if (org && org.kind === 'finance-office' && org.regionCode !== dir.city?.code) {
    return { kind: 'district', key: org.regionCode, name: dir.regionName(org.regionCode), region: org.regionCode };
  }
  if (region || org) throw new DataError(`${region?.name ?? org!.name}不是区或银行：月度反馈由各区和各主办行报送`);
  throw dir.unknownName('区或银行', name, [...dir.districts, ...dir.orgs.filter((o) => o.kind === 'bank')]);
}

/** A month as people write it (2024-03, 2024/03, 2024年3月, 202403): the one period reader, as YYYY-MM. */
export function parseMonth(input: string): string | undefined {
  return readPeriod(input, 'month')?.label;
}

export interface FeedbackInput {
  from: string;
  month: string;
  text: string;
  /** The day it was received: today, or (the 人民银行 only, with a correction's reason) an earlier day. */
  date: string;
  /** The 人民银行's reason for a receipt date other than today. */
  correction?: string;
}

function senderTarget(s: Sender) {
  // A bank's name stands where a district's would in a refusal: "不能报送中国工商银行鄂州分行的月度反馈".
  return s.kind === 'district' ? { region: s.region, regionName: s.name } : { bankOrgId: s.bankId, regionName: s.name };
}

/** A sender's submissions for a month, in the order they count: by 报送日期, then as recorded. */
async function submissionsOf(tx: Kysely<DB>, s: { kind: string; key: string }, month: string) {
  return tx
    .selectFrom('feedback')
    .selectAll()
    .where('from_kind', '=', s.kind as 'district' | 'bank')
    .where('from_key', '=', s.key)
    .where('month', '=', month)
    .orderBy('submitted_on')
    .orderBy('id')
    .execute();
}

/** Records a submission; the same text with the same date is already on file and not recorded again. */
async function submit(tx: Kysely<DB>, who: Actor, s: Sender, month: string, text: string, date: string, batchId: number | null): Promise<'added' | 'updated' | 'unchanged'> {
  const at = localTimestamp(who.now);
  const earlier = await submissionsOf(tx, s, month);
  const submission: FeedbackSubmission = { fromKind: s.kind, fromKey: s.key, month, text, submittedOn: date, batchId };
  // Already on file: a submission equal in every identity field (the definition says which).
  const key = FEEDBACK.key(submission);
  if (earlier.some((e) => FEEDBACK.key(FEEDBACK.fromRow(e)) === key)) return 'unchanged';
  await tx.insertInto('feedback').values({ ...FEEDBACK.toRow(submission), created_at: at, updated_at: at }).execute();
  const last = earlier.at(-1);
  await audit(tx, who, [
    {
      entity: 'feedback',
      entityId: `${s.name} ${month}`,
      before: last ? { text: last.text, submitted_on: last.submitted_on } : null,
      after: { text, submitted_on: date, late: date > feedbackDeadline(month) },
    },
  ]);
  return last ? 'updated' : 'added';
}

function checkFeedback(month: string | undefined, input: FeedbackInput, who: Actor): { month: string; text: string } {
  if (!month) throw new DataError(`--month 的值「${input.month}」不是月份（YYYY-MM）`);
  const text = checkFreeText(input.text, '反馈内容');
  if (!text) throw new DataError('反馈内容不能为空');
  if (Array.from(text).length > 5000) throw new DataError('反馈内容不超过 5000 字');
  if (input.date > who.today) throw new DataError(`报送日期 ${input.date} 晚于今天`);
  if (month > who.today.slice(0, 7)) throw new DataError(`月份 ${month} 还没有到`);
  return { month, text };
}

/** A month before the programme's start has no feedback to give. */
function beforeStart(month: string, dates: EntryDates): string | undefined {
  return month < dates.start.slice(0, 7) ? `月份 ${month} 早于工作开始日期（${dates.start}）` : undefined;
}

export interface FeedbackResult {
  sender: Sender;
  month: string;
  result: 'added' | 'updated' | 'unchanged';
  deadline: string;
  /** Received after the deadline: recorded, never counted as the month's feedback. */
  late: boolean;
}

export async function addFeedback(store: Store, who: Actor, input: FeedbackInput): Promise<FeedbackResult> {
  const { month, text } = checkFeedback(parseMonth(input.month), input, who);
  return store.write(async (tx) => {
    const dir = await Directory.load(tx);
    const sender = resolveSender(dir, input.from);
    authorize(who, 'feedback.add', senderTarget(sender));
    // Received today: only the 人民银行 gives another day (a paper copy received earlier), as a correction.
    const dates = await EntryDates.load(tx, who, input.correction);
    const early = beforeStart(month, dates);
    if (early) throw new DataError(early);
    dates.override(input.date, `${sender.name}${month} 月度反馈的报送日期`, '--date');
    const deadline = feedbackDeadline(month);
    const result = await submit(tx, who, sender, month, text, input.date, null);
    await dates.record(tx);
    return { sender, month, result, deadline, late: input.date > deadline };
  });
}

/** 序号, then the submission's own columns as its definition gives them. */
export const FEEDBACK_COLUMNS: ColumnSpec[] = [{ key: 'serial', title: '序号' }, ...FEEDBACK.sheet.map(({ column: { width: _, ...c } }) => c)];

interface FeedbackRecord {
  sender: Sender;
  month: string;
  text: string;
  date: string;
}

/**
 * The feedback sheet: each row received today; a 报送日期 other than today only from the 人民银行, as a correction
 * (`correction`, the batch's reason).
 */
export async function feedbackImportSpec(db: Kysely<DB>, dir: Directory, who: Actor, correction?: string): Promise<ImportSpec<FeedbackRecord>> {
  const dates = await EntryDates.load(db, who, correction);
  return {
    kind: 'feedback',
    dates,
    columns: FEEDBACK_COLUMNS,
    parseRow(row) {
      let sender: Sender | undefined;
      try {
        sender = resolveSender(dir, row.text('from'));
      } catch (e) {
        if (!(e instanceof XypzError)) throw e;
        row.fail('from', e.message);
      }
      // A month cell is text (2024-03, 2024年3月), a date cell, or the number 202403; 2024.3 typed into a
      // number cell is ambiguous (2024.10 becomes 2024.1) and refused.
      const monthCell = row.cell('month');
      const month =
        monthCell.kind === 'number'
          ? /^\d{6}$/.test(monthCell.text) ? parseMonth(monthCell.text) : monthCell.date?.slice(0, 7)
          : (parseMonth(row.text('month')) ?? monthCell.date?.slice(0, 7));
      if (!month) row.fail('month', '不是月份：请写成文本 2024-03（数字格式的 2024.10 会变成 2024.1）');
      const text = row.text('text');
      if (!text) row.fail('text', '不能为空');
      const date = row.text('date') ? row.date('date') : who.today;
      if (date) row.check('date', () => dates.override(date, `${row.text('from')}${month ?? ''} 月度反馈的报送日期`, '报送日期'));
      if (month && month > who.today.slice(0, 7)) row.fail('month', '月份还没有到');
      const early = month ? beforeStart(month, dates) : undefined;
      if (early) row.fail('month', early);
      if (sender) {
        const d = decide(who.profile!, 'feedback.add', senderTarget(sender));
        if (!d.ok) row.fail('from', d.reason);
      }
      if (row.problems.length > 0 || !sender || !month || !date) return undefined;
      return { sender, month, text, date };
    },
    uniqueKeys: (r) => [{ column: 'from', key: `${r.sender.kind}:${r.sender.key}:${r.month}` }],
    async apply(tx, items, w, batchId) {
      const counts = { added: 0, updated: 0, unchanged: 0 };
      for (const { record: r } of items) {
        authorize(w, 'feedback.add', senderTarget(r.sender));
        counts[await submit(tx, w, r.sender, r.month, r.text, r.date, batchId)] += 1;
      }
      return counts;
    },
  };
}

/** The units that have not fed back for a month, for an actor who may read reports, within the districts it sees. */
export async function listMissingFeedback(db: Kysely<DB>, dir: Directory, who: Actor, month: string): Promise<{ kind: 'district' | 'bank'; name: string }[]> {
  authorize(who, 'report.read');
  return missingFeedback(db, dir, month, scopeRegions(who));
}

/**
 * The districts and lead banks without the month's feedback; within `regions` (a district's 金融办): its own
 * districts, and the banks leading firms there — what its login on the server can read, and no other district's.
 */
export async function missingFeedback(db: Kysely<DB>, dir: Directory, month: string, regions?: readonly string[]): Promise<{ kind: 'district' | 'bank'; name: string }[]> {
  const got = await db.selectFrom('feedback').select(['from_kind', 'from_key']).where('month', '=', month).execute();
  const have = new Set(got.map((g) => `${g.from_kind}:${g.from_key}`));
  // The banks that owe the month (led a firm on at least one day of it): the rule of the reports and the ranking.
  const owes = bankMonthsOwed(await leadSpans(db, { start: `${month}-01`, end: `${month}-31` }, regions), [month]);
  const out: { kind: 'district' | 'bank'; name: string }[] = [];
  for (const d of dir.districts) if ((!regions || regions.includes(d.code)) && !have.has(`district:${d.code}`)) out.push({ kind: 'district', name: d.name });
  const banks = [...owes.keys()].map((id) => dir.orgByIdOrThrow(id)).sort((a, b) => a.id - b.id);
  for (const b of banks) if (!have.has(`bank:${b.id}`)) out.push({ kind: 'bank', name: b.name });
  return out;
}

/** Districts and banks whose feedback for the month came only after the deadline (逾期报送). */
export async function lateFeedback(db: Kysely<DB>, dir: Directory, month: string): Promise<{ kind: 'district' | 'bank'; name: string; submitted_on: string; deadline: string }[]> {
  const deadline = feedbackDeadline(month);
  const rows = await db.selectFrom('feedback').select(['from_kind', 'from_key', 'submitted_on']).where('month', '=', month).orderBy('submitted_on').orderBy('id').execute();
  const onTime = new Set(rows.filter((r) => r.submitted_on <= deadline).map((r) => `${r.from_kind}:${r.from_key}`));
  const first = new Map<string, string>();
  for (const r of rows) if (!onTime.has(`${r.from_kind}:${r.from_key}`) && !first.has(`${r.from_kind}:${r.from_key}`)) first.set(`${r.from_kind}:${r.from_key}`, r.submitted_on);
  const out: { kind: 'district' | 'bank'; name: string; submitted_on: string; deadline: string }[] = [];
  for (const d of dir.districts) {
    const on = first.get(`district:${d.code}`);
    if (on) out.push({ kind: 'district', name: d.name, submitted_on: on, deadline });
  }
  for (const b of dir.orgs.filter((o) => o.kind === 'bank')) {
    const on = first.get(`bank:${b.id}`);
    if (on) out.push({ kind: 'bank', name: b.name, submitted_on: on, deadline });
  }
  return out;
}

export interface FeedbackEntry {
  kind: 'district' | 'bank';
  name: string;
  month: string;
  submitted_on: string;
  recorded_at: string;
  text: string;
  /** counted: the month's feedback; superseded: replaced by a later one before the deadline; late: after it. */
  status: 'counted' | 'superseded' | 'late';
}

/**
 * The history of a month's feedback: every submission of one sender (`from`), or of every sender the actor
 * may see, oldest first per sender, each marked counted, superseded or late.
 */
export async function feedbackHistory(db: Kysely<DB>, dir: Directory, who: Actor, input: { month: string; from?: string }): Promise<FeedbackEntry[]> {
  const month = parseMonth(input.month);
  if (!month) throw new DataError(`--month 的值「${input.month}」不是月份（YYYY-MM）`);
  const sender = input.from === undefined ? undefined : resolveSender(dir, input.from);
  // A sender may read its own history; otherwise this is a report read, within the actor's districts.
  if (!sender || !decide(who.profile!, 'feedback.add', senderTarget(sender)).ok) authorize(who, 'report.read', sender?.kind === 'district' ? senderTarget(sender) : {});
  const regions = scopeRegions(who);
  let q = db.selectFrom('feedback').select(['from_kind', 'from_key', 'text', 'submitted_on', 'updated_at']).where('month', '=', month);
  if (sender) q = q.where('from_kind', '=', sender.kind).where('from_key', '=', sender.key);
  const rows = await q.orderBy('submitted_on').orderBy('id').execute();
  const deadline = feedbackDeadline(month);
  const counted = new Map<string, number>();
  rows.forEach((r, i) => r.submitted_on <= deadline && counted.set(`${r.from_kind}:${r.from_key}`, i));
  const senders: { kind: 'district' | 'bank'; key: string; name: string }[] = [
    ...dir.districts.filter((d) => regions === undefined || regions.includes(d.code)).map((d) => ({ kind: 'district' as const, key: d.code, name: d.name })),
    ...dir.orgs.filter((o) => o.kind === 'bank' && (regions === undefined || sender?.bankId === o.id)).map((o) => ({ kind: 'bank' as const, key: String(o.id), name: o.name })),
  ];
  return senders.flatMap((s) =>
    rows.flatMap((r, i) =>
      r.from_kind === s.kind && r.from_key === s.key
        ? [{
            kind: s.kind,
            name: s.name,
            month,
            submitted_on: r.submitted_on,
            recorded_at: r.updated_at,
            text: r.text,
            status: r.submitted_on > deadline ? ('late' as const) : counted.get(`${s.kind}:${s.key}`) === i ? ('counted' as const) : ('superseded' as const),
          }]
        : [],
    ),
  );
}

/**
 * A month's feedback received in a collection workbook (xypz collect import), in the import's transaction:
 * the rules and the record of `feedback add`, from the unit named `from`, received on `date`.
 */
/** Whether the actor may report the feedback of `from` (a district or a bank, by any of its names); throws if not. */
export function authorizeFeedbackFrom(who: Actor, dir: Directory, from: string): void {
  authorize(who, 'feedback.add', senderTarget(resolveSender(dir, from)));
}

export async function submitCollectedFeedback(tx: Kysely<DB>, who: Actor, dir: Directory, input: FeedbackInput, batchId: number | null): Promise<'added' | 'updated' | 'unchanged'> {
  const { month, text } = checkFeedback(parseMonth(input.month), input, who);
  const sender = resolveSender(dir, input.from);
  authorize(who, 'feedback.add', senderTarget(sender));
  return submit(tx, who, sender, month, text, input.date, batchId);
}
