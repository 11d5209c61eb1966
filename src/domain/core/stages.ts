/** The stages of a case (docs/workflow.md), their Chinese names, and what comes next. */
import { RuleError } from '../../errors.js';
import type { CaseClass, Stage } from '../../store/schema.js';

export type { CaseClass, Stage };

export const STAGE_LABEL: Record<Stage, string> = {
  recommended: '已推荐',
  declared: '已申报',
  verified: '已核查',
  rejected: '未入选',
  confirmed: '已入库',
  assigned: '已确定主办行',
  closed: '已办结',
};

export const CLASS_LABEL: Record<CaseClass, string> = { financing: '融资类', cultivation: '培植类' };

/** What to do next from each stage, as a person would be told. */
export const NEXT_STEP: Record<Stage, string> = {
  recommended: '企业网上申报（xypz declare import 或 xypz declare add）',
  declared: '联合核查（xypz verify … 或 xypz verify reject …）',
  verified: '联合协商会议确认入库（xypz pool confirm）',
  rejected: '无（未入选；如需重新推荐，用 xypz recommend）',
  confirmed: '确定主办金融机构（xypz assign）',
  assigned: '融资对接或辅导（xypz loan / xypz coach add），完成后办结（xypz close）',
  closed: '无（已办结）',
};

/** A reclassification, as the case's class history holds it. */
export interface ClassChange {
  id: number;
  from_class: CaseClass;
  to_class: CaseClass;
  changed_on: string;
}

/** The reclassifications in the order they took effect: by date, then as recorded. */
export function inEffectOrder(changes: ClassChange[]): ClassChange[] {
  return [...changes].sort((a, b) => a.changed_on.localeCompare(b.changed_on) || a.id - b.id);
}

/**
 * The class of a case on a date: `initial` (the class it was verified with) changed by each reclassification
 * dated on or before that day; a change takes effect on its date.
 */
export function classOn(initial: CaseClass | null, changes: ClassChange[], date: string): CaseClass | null {
  let cls = initial;
  for (const c of inEffectOrder(changes)) if (c.changed_on <= date) cls = c.to_class;
  return cls;
}

/** The class a case was verified with, from its current class and its reclassifications. */
export function verifiedClass(current: CaseClass | null, changes: ClassChange[]): CaseClass | null {
  return inEffectOrder(changes)[0]?.from_class ?? current;
}

export function isOpen(stage: Stage): boolean {
  return stage !== 'closed' && stage !== 'rejected';
}

export function parseStage(input: string): Stage | undefined {
  const s = input.trim();
  return (Object.keys(STAGE_LABEL) as Stage[]).find((k) => k === s || STAGE_LABEL[k] === s);
}

export function parseClass(input: string): CaseClass | undefined {
  const s = input.trim();
  if (s === 'financing' || s === '融资类' || s === '融资' || s === '符合融资条件类') return 'financing';
  if (s === 'cultivation' || s === '培植类' || s === '培植' || s === '信用培植类') return 'cultivation';
  return undefined;
}

/** Refuses (exit 4) an action on a case in the wrong stage, naming the stage and the next step. */
export function requireStage(c: { stage: Stage; name: string; enterprise_code: string }, allowed: Stage[], action: string): void {
  if (allowed.includes(c.stage)) return;
  throw new RuleError(
    `${c.name}（${c.enterprise_code}）当前阶段为「${STAGE_LABEL[c.stage]}」，不能${action}；下一步是：${NEXT_STEP[c.stage]}`,
    [{ stage: c.stage, allowed }],
    [],
    'wrong_stage',
  );
}
