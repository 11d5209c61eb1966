/** Joint verification (联合核查, docs/workflow.md): a declared case is verified into a class, or rejected. */
import { RuleError } from '../../errors.js';
import { localTimestamp } from '../../store/audit.js';
import { updateCase, verificationOf, type CaseRow } from '../../store/cases.js';
import type { Store } from '../../store/db.js';
import type { CaseClass } from '../../store/schema.js';
import { authorize, caseTarget, checkEntryDate, CLASS_LABEL, Directory, recordStep, required, requireStage, visibleCase, type Actor } from '../core/index.js';

export interface VerifyInput {
  code: string;
  class: CaseClass;
  basic: string;
  causes: string;
  advice: string;
  experts: string;
  date: string;
  /** A 人民银行 correction's reason, for a date in a month already final. */
  correction?: string;
}

export async function verify(store: Store, who: Actor, input: VerifyInput): Promise<CaseRow> {
  const basic = required(input.basic, '--basic 基本情况', true);
  const causes = required(input.causes, '--causes 原因分析', true);
  const advice = required(input.advice, '--advice 对策建议', true);
  const experts = required(input.experts, '--experts 核查人员');
  return store.write(async (tx) => {
    const c = await visibleCase(tx, who, input.code);
    const dir = await Directory.load(tx);
    authorize(who, 'case.verify', caseTarget(dir, c));
    requireStage(c, ['declared'], '核查');
    if (c.authorised !== 1) {
      throw new RuleError(`${c.name}（${c.enterprise_code}）未同意授权查询企业及法定代表人信用信息，不能核查；请企业重新申报并勾选授权`, [], [], 'not_authorised');
    }
    await checkEntryDate(tx, who, { date: input.date, what: `${c.name}的核查`, correction: input.correction, after: { date: c.declared_on, label: '申报日期' } });
    const at = localTimestamp(who.now);
    await tx
      .insertInto('verification')
      .values({ case_id: c.id, verified_on: input.date, result: input.class, basic, causes, advice, experts, reason: null, created_at: at })
      .execute();
    await updateCase(tx, c.id, { stage: 'verified', class: input.class, verified_on: input.date, updated_at: at });
    await recordStep(tx, who, c, {
      date: input.date,
      kind: 'verified',
      details: { class: input.class, experts },
      before: { stage: c.stage, class: c.class },
      after: { stage: 'verified', class: input.class, class_label: CLASS_LABEL[input.class], experts },
    });
    return { ...c, stage: 'verified', class: input.class, verified_on: input.date };
  });
}

export async function reject(store: Store, who: Actor, input: { code: string; reason: string; date: string; correction?: string }): Promise<CaseRow> {
  const reason = required(input.reason, '--reason 未入选理由', true);
  return store.write(async (tx) => {
    const c = await visibleCase(tx, who, input.code);
    const dir = await Directory.load(tx);
    authorize(who, 'case.verify', caseTarget(dir, c));
    requireStage(c, ['declared'], '作出未入选结论');
    await checkEntryDate(tx, who, { date: input.date, what: `${c.name}的核查（未入选）`, correction: input.correction, after: { date: c.declared_on, label: '申报日期' } });
    const at = localTimestamp(who.now);
    if (await verificationOf(tx, c.id)) throw new RuleError('该企业已有核查结论');
    await tx.insertInto('verification').values({ case_id: c.id, verified_on: input.date, result: 'rejected', basic: null, causes: null, advice: null, experts: null, reason, created_at: at }).execute();
    await updateCase(tx, c.id, { stage: 'rejected', verified_on: input.date, updated_at: at });
    await recordStep(tx, who, c, { date: input.date, kind: 'rejected', details: { reason }, before: { stage: c.stage } });
    return { ...c, stage: 'rejected', verified_on: input.date };
  });
}
