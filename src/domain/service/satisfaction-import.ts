/**
 * Survey returns of the satisfaction rating (`satisfaction import`): one row per enterprise — 统一社会信用代码,
 * 企业名称, 评价, 日期 (other columns are noted and ignored). Each row passes the same checks as `satisfaction`
 * (who may record it, the case's stage, the date); a batch is one transaction, all or nothing unless --partial.
 * Re-importing a return already on file changes nothing.
 */
import type { Kysely } from 'kysely';
import { DataError, XypzError } from '../../errors.js';
import { specMatcher, type ColumnSpec } from '../../import/header.js';
import { currentCases, listCases } from '../../store/cases.js';
import type { DB } from '../../store/schema.js';
import { nameKey } from '../../util/text.js';
import { authorize, caseTarget, caseVisibility, checkUscc, noVisibleCase, type Actor, type Directory } from '../core/index.js';
import { stripNumbering, submissionTime } from '../intake/index.js';
import type { ImportSpec } from '../imports/index.js';
import { banksLeadingIn, checkRating, insertRating, parseRating, type Rating } from './satisfaction.js';

export const SATISFACTION_COLUMNS: ColumnSpec[] = [
  { key: 'serial', title: '序号' },
  { key: 'code', title: '统一社会信用代码', aliases: ['信用代码', '企业代码'], required: true },
  { key: 'name', title: '企业名称', aliases: ['企业', '单位名称'] },
  { key: 'rating', title: '评价', aliases: ['满意度', '满意度评价', '服务评价', '评价结果', '您对主办金融机构的服务是否满意'], required: true },
  { key: 'date', title: '日期', aliases: ['评价日期', '填报日期', '提交答卷时间', '提交时间'] },
];

interface RatingRecord {
  caseId: number;
  code: string;
  rating: Rating;
  date: string;
}

/** What the import needs from the database, loaded once: each enterprise's current case and its lead-bank history. */
export async function satisfactionContext(db: Kysely<DB>, dir: Directory, who: Actor) {
  const cases = currentCases(await listCases(db));
  const assignments = await db.selectFrom('bank_assignment').select(['case_id', 'bank_id', 'assigned_on', 'ended_on']).execute();
  const byCase = new Map<number, typeof assignments>();
  for (const a of assignments) byCase.set(a.case_id, [...(byCase.get(a.case_id) ?? []), a]);
  return { dir, who, cases, assignments: byCase, visible: await caseVisibility(db, who) };
}

export function satisfactionImportSpec(c: Awaited<ReturnType<typeof satisfactionContext>>): ImportSpec<RatingRecord> {
  const match = specMatcher(SATISFACTION_COLUMNS);
  const byId = new Map([...c.cases.values()].map((x) => [x.id, x]));
  return {
    kind: 'satisfaction',
    columns: SATISFACTION_COLUMNS,
    match: (title) => match(title) ?? match(stripNumbering(title)),
    parseRow(row) {
      const codeText = row.text('code');
      const check = checkUscc(codeText);
      // A firm outside the actor's scope is as unknown as one never recorded (its name is not shown).
      const known = check.ok ? c.cases.get(check.code) : undefined;
      const cs = known && c.visible(known) ? known : undefined;
      if (!check.ok) row.fail('code', check.reason);
      else if (!cs) row.fail('code', noVisibleCase(check.code).message);
      const name = row.text('name');
      if (cs && name && nameKey(name) !== nameKey(cs.name)) row.fail('name', `与统一社会信用代码不符：该代码的企业是${cs.name}`);
      const rating = parseRating(row.text('rating'));
      if (!rating) row.fail('rating', '应为 满意 / 基本满意 / 不满意');
      const time = submissionTime(row.cell('date'));
      const dateOk = !row.text('date') || time.date !== undefined;
      if (!dateOk) row.fail('date', '不是有效日期');
      const date = time.date ?? c.who.today;
      if (cs && dateOk) {
        try {
          checkRating(c.who, c.dir, cs, banksLeadingIn(c.assignments.get(cs.id) ?? [], date.slice(0, 4)), date);
        } catch (e) {
          if (!(e instanceof XypzError)) throw e;
          row.fail(e instanceof DataError ? 'date' : 'code', e.message);
        }
      }
      if (row.problems.length > 0 || !cs || !rating) return undefined;
      return { caseId: cs.id, code: cs.enterprise_code, rating, date };
    },
    // one return per enterprise in a batch
    uniqueKeys: (r) => [{ column: 'code', key: r.code }],
    async apply(tx, items, who, batchId) {
      const counts = { added: 0, updated: 0, unchanged: 0 };
      for (const { record: r } of items) {
        const same = await tx.selectFrom('satisfaction').select('id').where('case_id', '=', r.caseId).where('rating', '=', r.rating).where('rated_on', '=', r.date).executeTakeFirst();
        if (same) {
          counts.unchanged += 1;
          continue;
        }
        const cs = byId.get(r.caseId)!;
        authorize(who, 'case.satisfaction', { ...caseTarget(c.dir, cs), ledInYear: banksLeadingIn(c.assignments.get(cs.id) ?? [], r.date.slice(0, 4)) });
        await insertRating(tx, who, cs, r.rating, r.date, batchId);
        counts.added += 1;
      }
      return counts;
    },
  };
}
