/**
 * The end of service (docs/workflow.md): reclassifying a case between 融资类 and 培植类 (never back over a loan on
 * file), and closing it as financed (only after a 放款) or withdrawn.
 */
import { DataError, RuleError } from '../../errors.js';
import { localTimestamp } from '../../store/audit.js';
import { coachingOf, loansOf, reclassificationsOf, updateCase, type CaseRow } from '../../store/cases.js';
import type { Store } from '../../store/db.js';
import type { CaseClass } from '../../store/schema.js';
import { checkFreeText } from '../../util/text.js';
import { authorize, caseTarget, checkEntryDate, CLASS_LABEL, recordStep, required, requireStage, type Actor } from '../core/index.js';
import { withCase } from './with-case.js';

export async function reclassify(store: Store, who: Actor, input: { code: string; to: CaseClass; reason: string; date: string; correction?: string }): Promise<CaseRow> {
  const reason = required(input.reason, '--reason 理由', true);
  return withCase(store, who, input.code, async (tx, c, dir) => {
    authorize(who, 'case.reclassify', caseTarget(dir, c));
    requireStage(c, ['verified', 'confirmed', 'assigned'], '调整分类');
    if (c.class === input.to) throw new RuleError(`${c.name}已是${CLASS_LABEL[input.to]}，未做改动`, [], [], 'unchanged');
    // The class history stays in date order, and no loan on file falls on a day that becomes 培植类.
    const last = (await reclassificationsOf(tx, [c.id])).at(-1);
    await checkEntryDate(tx, who, {
      date: input.date,
      what: `${c.name}调整为${CLASS_LABEL[input.to]}`,
      correction: input.correction,
      after: last ? { date: last.changed_on, label: '上次调整分类的日期' } : { date: c.verified_on, label: '核查日期' },
    });
    if (input.to !== 'financing') {
      const loan = (await loansOf(tx, [c.id])).at(-1);
      if (loan && input.date <= loan.loan_on) {
        throw new DataError(`日期 ${input.date} 不晚于${c.name}最近一笔授信或放款的日期（${loan.loan_on}）：调整为${CLASS_LABEL[input.to]}只能从此后的日期起`);
      }
    }
    const at = localTimestamp(who.now);
    await tx.insertInto('reclassification').values({ case_id: c.id, from_class: c.class!, to_class: input.to, changed_on: input.date, reason, created_at: at }).execute();
    await updateCase(tx, c.id, { class: input.to, updated_at: at });
    await recordStep(tx, who, c, { date: input.date, kind: 'reclassified', details: { from: c.class, to: input.to, reason }, before: { class: c.class } });
    return { ...c, class: input.to };
  });
}

/**
 * Closes the case; its coaching items still open on the closing day end with it (终止, read from the closing
 * date: nothing is written to them). Returns the case and the ids of those items, in the order they were added.
 */
export async function closeCase(store: Store, who: Actor, input: { code: string; outcome: 'financed' | 'withdrawn'; date: string; note?: string; correction?: string }): Promise<CaseRow & { endedItems: number[] }> {
  return withCase(store, who, input.code, async (tx, c, dir) => {
    authorize(who, 'case.close', caseTarget(dir, c));
    requireStage(c, ['confirmed', 'assigned'], '办结');
    const note = input.note ? checkFreeText(input.note, '--note 说明') || null : null;
    if (input.outcome === 'withdrawn' && !note) throw new DataError('退出须说明原因（--note）');
    if (input.outcome === 'financed' && !(await loansOf(tx, [c.id])).some((l) => l.kind === 'disbursement')) {
      throw new RuleError(`${c.name}还没有放款记录，不能以“获得融资”办结（先 xypz loan ${c.enterprise_code} --kind disbursement …）`, [], [], 'no_disbursement');
    }
    await checkEntryDate(tx, who, { date: input.date, what: `${c.name}办结（${input.outcome === 'financed' ? '获得融资' : '退出'}）`, correction: input.correction, after: { date: c.last_progress_on, label: '最近一次办理日期' } });
    const at = localTimestamp(who.now);
    await updateCase(tx, c.id, { stage: 'closed', closed_on: input.date, outcome: input.outcome, close_note: note, updated_at: at });
    await recordStep(tx, who, c, { date: input.date, kind: 'closed', details: { outcome: input.outcome, note }, before: { stage: c.stage } });
    // open on the closing day: not closed, or closed only later (as the reports read 终止)
    const endedItems = (await coachingOf(tx, [c.id])).filter((i) => i.closed_on === null || i.closed_on > input.date).map((i) => i.id);
    return { ...c, stage: 'closed', closed_on: input.date, outcome: input.outcome, endedItems };
  });
}
