/**
 * The date of an event being entered (a recommendation, a loan, a closing …), one rule for every entry path
 * (docs/figures.md, docs/cli.md):
 * - never before the programme's start (the date `init` records) and never after today;
 * - never in a month whose figures are final — whose cut-off (feedbackDeadline) has passed — unless a 人民银行
 *   account enters it as a correction, with its reason (`--correction <理由>`): the write then records one
 *   correction, shown as a revision beside the figures as published.
 * Only the 人民银行 corrects, and a reason given where nothing needs correcting is refused rather than recorded.
 * The same reason lets the 人民银行 give a feedback's or a workbook's receipt date other than today (override).
 */
import type { Kysely } from 'kysely';
import { DataError } from '../../errors.js';
import { recordCorrection } from '../../store/corrections.js';
import { programmeStart } from '../../store/recording.js';
import type { DB } from '../../store/schema.js';
import { monthInWords } from '../../util/dates.js';
import { checkOneLine } from '../../util/text.js';
import type { Actor } from './actor.js';
import { feedbackDeadline } from './rules.js';

/** The option that carries a correction's reason. */
export const CORRECTION_FLAG = '--correction';

/** Whether a month's figures are final on `today`: its cut-off (the feedback deadline) has passed. */
export function monthIsFinal(month: string, today: string): boolean {
  return feedbackDeadline(month) < today;
}

/** The acting unit may correct final figures: a 人民银行 account (its operators and administrators). */
function mayCorrect(who: Pick<Actor, 'profile'>): boolean {
  return who.profile?.org.kind === 'pboc' && who.profile.role !== 'viewer';
}

/** What the rule says about one event date. */
export type DateVerdict =
  /** Within the bounds, in a month still open: entered as usual. */
  | { ok: true; late: false }
  /** In a final month, entered by the 人民银行 as a correction. */
  | { ok: true; late: true }
  /** Refused (exit 3), one line saying why and what to do. */
  | { ok: false; reason: string };

/**
 * The rule itself, on hand-made values: `date` of an event entered on `who.today` by `who.profile`, in a
 * programme that started on `start`, with a correction's reason or not.
 */
export function judgeEventDate(who: Pick<Actor, 'today' | 'profile'>, date: string, start: string, correction: string | undefined): DateVerdict {
  if (date < start) return { ok: false, reason: `日期 ${date} 早于工作开始日期（${start}）` };
  if (date > who.today) return { ok: false, reason: `日期 ${date} 晚于今天（${who.today}）` };
  const month = date.slice(0, 7);
  if (!monthIsFinal(month, who.today)) return { ok: true, late: false };
  const closed = `${monthInWords(month)}已结报`;
  const when = `（日期 ${date}；该月报送截止日 ${feedbackDeadline(month)} 已过，数字不再变化）`;
  if (!mayCorrect(who)) return { ok: false, reason: `${closed}：补录须由人民银行以更正方式登记${when}` };
  if (correction === undefined) return { ok: false, reason: `${closed}：补录是对已发布数字的更正，请加 ${CORRECTION_FLAG} <理由>${when}` };
  return { ok: true, late: true };
}

/** A correction's reason as typed: one line, not empty, at most 500 characters; only a 人民银行 account gives one. */
export function checkCorrectionReason(who: Pick<Actor, 'profile'>, reason: string | undefined): string | undefined {
  if (reason === undefined) return undefined;
  if (!mayCorrect(who)) throw new DataError(`只有人民银行可以以更正方式登记（${CORRECTION_FLAG}）；已结报月份的记录请交人民银行补录`);
  const v = checkOneLine(reason, CORRECTION_FLAG);
  if (!v) throw new DataError(`${CORRECTION_FLAG} 的理由不能为空`);
  if (Array.from(v).length > 500) throw new DataError(`${CORRECTION_FLAG} 的理由过长（不超过 500 字）`);
  return v;
}

/**
 * The event dates of one write (a command, or an import's batch): each checked by the rule, the late ones
 * entered by the 人民银行 noted, and, at the end of the write, one correction recorded for them all.
 */
export class EntryDates {
  /** What was entered late, one line each (the correction's `what`). */
  readonly late: string[] = [];

  private constructor(
    private readonly who: Actor,
    readonly start: string,
    /** The correction's reason, checked; undefined when none was given. */
    readonly reason: string | undefined,
  ) {}

  /** The rule for `who`'s write, with the reason given (checked now: exit 3 when a unit gives one). */
  static async load(db: Kysely<DB>, who: Actor, correction: string | undefined): Promise<EntryDates> {
    const reason = checkCorrectionReason(who, correction);
    return new EntryDates(who, await programmeStart(db), reason);
  }

  /** The refusal of an event date, or undefined (a late one entered as a correction is noted). For an import's rows. */
  problem(date: string, what: string): string | undefined {
    const v = judgeEventDate(this.who, date, this.start, this.reason);
    if (!v.ok) return v.reason;
    if (v.late) this.late.push(`${what}（${date}）`);
    return undefined;
  }

  /** Throws (exit 3) when the date is refused; `after`: the step it follows, which it may not precede. */
  check(date: string, what: string, after?: { date: string | null; label: string }): void {
    const p = this.problem(date, what);
    if (p) throw new DataError(p);
    if (after?.date && date < after.date) throw new DataError(`日期 ${date} 早于${after.label}（${after.date}）`);
  }

  /**
   * A date that only a correction may set (a receipt or submission date other than today): refused (exit 3)
   * unless the 人民银行 gives its reason, then noted. `flag` names the option.
   */
  override(date: string, what: string, flag: string): void {
    if (date === this.who.today) return;
    if (date > this.who.today) throw new DataError(`${flag} ${date} 晚于今天（${this.who.today}）`);
    if (date < this.start) throw new DataError(`${flag} ${date} 早于工作开始日期（${this.start}）`);
    if (!mayCorrect(this.who)) throw new DataError(`${flag} 只能由人民银行以更正方式给出（${CORRECTION_FLAG} <理由>），其他单位的日期即登记当天`);
    if (this.reason === undefined) throw new DataError(`${flag} 给出的日期不是今天，是对登记日期的更正：请加 ${CORRECTION_FLAG} <理由>`);
    this.late.push(`${what}（${flag} ${date}）`);
  }

  /** Whether the write enters anything late (and so makes a correction). */
  get correcting(): boolean {
    return this.late.length > 0;
  }

  /**
   * At the end of the write: records the one correction of what was entered late. A reason given for nothing
   * late is refused (exit 3, the write undone), not recorded.
   */
  async record(tx: Kysely<DB>, opts: { what?: string; batchId?: number | null } = {}): Promise<void> {
    if (this.reason === undefined) return;
    if (!this.correcting) {
      throw new DataError(`${CORRECTION_FLAG} 只用于补录已结报月份的记录或更正登记日期：本次登记的日期都在尚未结报的月份，请去掉 ${CORRECTION_FLAG}`);
    }
    await recordCorrection(tx, {
      reason: this.reason,
      what: opts.what ?? summarise(this.late),
      actor: this.who.login,
      orgId: this.who.profile?.org.id ?? null,
      command: this.who.command,
      batchId: opts.batchId ?? null,
    });
  }
}

/** The lines of what was corrected, the first twenty in full. */
function summarise(lines: string[]): string {
  const shown = lines.slice(0, 20).join('；');
  return lines.length > 20 ? `${shown}；等 ${lines.length} 项` : shown;
}

/** One date of one write, checked and, when late, recorded as its correction: the single-event commands. */
export async function checkEntryDate(
  tx: Kysely<DB>,
  who: Actor,
  entry: { date: string; what: string; correction?: string; after?: { date: string | null; label: string } },
): Promise<void> {
  const dates = await EntryDates.load(tx, who, entry.correction);
  dates.check(entry.date, entry.what, entry.after);
  await dates.record(tx);
}
