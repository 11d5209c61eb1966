/**
 * Recorded stamps: when each record was recorded, as opposed to the date of its event, which the user gives.
 * A stamp is text `YYYY-MM-DD HH:MM:SS.sss`: the date is the clock's today (XYPZ_TODAY when set, as the test
 * clock; the demo gives each event's date), the time is the wall clock in UTC. Records made before stamps
 * existed carry their event's date alone (`YYYY-MM-DD`), which sorts before every stamp of that day.
 *
 * One place sets them: Store.write puts the stamp of the write in place when the write begins (a SQLite
 * file's one-row table `recording`, or the server's transaction setting `xypz_store.recorded_at`), and the
 * database's triggers (migration 0018_recorded) copy it into each stamp the write sets. Nothing else writes
 * a *_recorded_at column: all records of one write share one stamp.
 */
import { sql } from 'kysely';
import { engineOf, rawOf, type Tx } from './engine.js';

export type { WriteOptions } from './engine.js';

/** Each stamped table: [event column, its stamp column] (as migration 0018_recorded made them). */
export const STAMPED: Readonly<Record<string, readonly (readonly [event: string, stamp: string])[]>> = {
  case_file: [
    ['recommended_on', 'recommended_recorded_at'],
    ['declared_on', 'declared_recorded_at'],
    ['verified_on', 'verified_recorded_at'],
    ['confirmed_on', 'confirmed_recorded_at'],
    ['assigned_on', 'assigned_recorded_at'],
    ['closed_on', 'closed_recorded_at'],
  ],
  declaration: [['submitted_on', 'recorded_at']],
  verification: [['verified_on', 'recorded_at']],
  bank_assignment: [
    ['assigned_on', 'recorded_at'],
    ['ended_on', 'ended_recorded_at'],
  ],
  loan: [['loan_on', 'recorded_at']],
  loan_withdrawn: [
    ['loan_on', 'recorded_at'],
    ['withdrawn_on', 'withdrawn_recorded_at'],
  ],
  collection_return: [['received_on', 'recorded_at']],
  coaching_item: [
    ['added_on', 'recorded_at'],
    ['closed_on', 'closed_recorded_at'],
  ],
  reclassification: [['changed_on', 'recorded_at']],
  satisfaction: [['rated_on', 'recorded_at']],
  pool_filing: [['filed_on', 'recorded_at']],
  feedback: [['submitted_on', 'recorded_at']],
  capacity_change: [['effective_on', 'recorded_at']],
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const STAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/;

function localIsoDate(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The store's clock: XYPZ_TODAY of the environment it was opened with, else the local date. */
export function clockToday(env?: Record<string, string | undefined>): () => string {
  const fixed = env?.XYPZ_TODAY?.trim();
  if (fixed && ISO_DATE.test(fixed)) return () => fixed;
  return () => localIsoDate(new Date());
}

/** The stamp of a write recorded on `today`, at the wall clock's time (UTC). */
export function stampOf(today: string, now: Date = new Date()): string {
  if (!ISO_DATE.test(today) || Number.isNaN(new Date(`${today}T00:00:00Z`).getTime())) throw new Error(`recorded stamp: not a date: ${today}`);
  const stamp = `${today} ${now.toISOString().slice(11, 23)}`;
  if (!STAMP.test(stamp)) throw new Error(`recorded stamp: malformed ${stamp}`);
  return stamp;
}

/** The wall clock's own stamp (UTC): what the database falls back on when a write sets none. */
function clockStamp(): string {
  return new Date().toISOString().slice(0, 23).replace('T', ' ');
}

/** The stamp of the write in progress (the one its records are stamped with). */
export async function recordedStamp(tx: Tx): Promise<string> {
  if (engineOf(tx) === 'postgres') {
    const r = await sql<{ s: string | null }>`select nullif(current_setting('xypz_store.recorded_at', true), '') as s`.execute(tx);
    return r.rows[0]?.s ?? clockStamp();
  }
  const raw = rawOf(tx);
  const row = raw?.prepare('select stamp from recording where id = 1').get() as { stamp: string | null } | undefined;
  return row?.stamp ?? clockStamp();
}

/** The statement that gives a server transaction its stamp (the stamp is made by stampOf: no quoting needed). */
export function serverStampStatement(stamp: string): string {
  if (!STAMP.test(stamp)) throw new Error(`recorded stamp: malformed ${stamp}`);
  return `select set_config('xypz_store.recorded_at', '${stamp}', true)`;
}

/** The programme's start when none was given: the day after the notice that set it up. */
export const DEFAULT_PROGRAMME_START = '2023-12-28';

/** The earliest date an event may carry: the programme's start as `init` recorded it (the default if none was). */
export async function programmeStart(tx: Tx): Promise<string> {
  const r = await tx.selectFrom('programme').select('start_on').where('id', '=', 1).executeTakeFirst();
  return r?.start_on ?? DEFAULT_PROGRAMME_START;
}

/**
 * The date of the earliest dated record (a recommendation, a loan, a coaching item, a monthly feedback's
 * submission), or null when there is none: a database that held records before the programme's start was first
 * recorded may hold some dated before it.
 */
export async function firstEventOn(tx: Tx): Promise<string | null> {
  const [c, l, i, f] = await Promise.all([
    tx.selectFrom('case_file').select((eb) => eb.fn.min('recommended_on').as('d')).executeTakeFirst(),
    tx.selectFrom('loan').select((eb) => eb.fn.min('loan_on').as('d')).executeTakeFirst(),
    tx.selectFrom('coaching_item').select((eb) => eb.fn.min('added_on').as('d')).executeTakeFirst(),
    tx.selectFrom('feedback').select((eb) => eb.fn.min('submitted_on').as('d')).executeTakeFirst(),
  ]);
  const dates = [c?.d, l?.d, i?.d, f?.d].filter((d): d is string => typeof d === 'string');
  return dates.length === 0 ? null : dates.reduce((a, b) => (b < a ? b : a));
}

/** Records the programme's start (init; replaced if there is one). */
export async function setProgrammeStart(tx: Tx, startOn: string): Promise<void> {
  await tx
    .insertInto('programme')
    .values({ id: 1, start_on: startOn })
    .onConflict((oc) => oc.column('id').doUpdateSet({ start_on: startOn }))
    .execute();
}
