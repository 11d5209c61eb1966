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
import { authorize, caseTarget, caseVisibility, checkUscc, EntryDates, noVisibleCase, type Actor, type Directory } from '../core/index.js';
import { stripNumbering, submissionTime } from '../intake/index.js';
import type { ImportSpec } from '../imports/index.js';
import { banksLeadingIn, checkRating, insertRating, RATING, type RatingRecord } from './satisfaction.js';

/** The firm (序号, code and name), then the rating's own columns as its definition gives them (satisfaction.ts). */
export const SATISFACTION_COLUMNS: ColumnSpec[] = [
  { key: 'serial', title: '序号' },
  { key: 'code', title: '统一社会信用代码', aliases: ['信用代码', '企业代码'], required: true },
  { key: 'name', title: '企业名称', aliases: ['企业', '单位名称'] },
  ...RATING.sheet.map(({ column: { width: _, ...c } }) => c),
];

/** A row of a survey return: the rating, and the firm's code (one return per firm in a batch). */
type ReturnRow = RatingRecord & { code: string };

/** What the import needs from the database, loaded once: each enterprise's current case and its lead-bank history. */
export async function satisfactionContext(db: Kysely<DB>, dir: Directory, who: Actor, correction?: string) {
  const dates = await EntryDates.load(db, who, correction);
  const cases = currentCases(await listCases(db));
  const assignments = await db.selectFrom('bank_assignment').select(['case_id', 'bank_id', 'assigned_on', 'ended_on']).execute();
  const byCase = new Map<number, typeof assignments>();
  for (const a of assignments) byCase.set(a.case_id, [...(byCase.get(a.case_id) ?? []), a]);
  return { dir, who, dates, cases, assignments: byCase, visible: await caseVisibility(db, who) };
}

export function satisfactionImportSpec(c: Awaited<ReturnType<typeof satisfactionContext>>): ImportSpec<ReturnRow> {
  const match = specMatcher(SATISFACTION_COLUMNS);
  const byId = new Map([...c.cases.values()].map((x) => [x.id, x]));
  return {
    kind: 'satisfaction',
    dates: c.dates,
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
      const parsed = RATING.fields.rating.parse(row.text('rating'));
      if (!parsed.ok) row.fail('rating', parsed.reason);
      const rating = parsed.ok ? parsed.value : undefined;
      const time = submissionTime(row.cell('date'));
      const dateOk = !row.text('date') || time.date !== undefined;
      if (!dateOk) row.fail('date', '不是有效日期');
      const date = time.date ?? c.who.today;
      if (cs && dateOk) {
        try {
          checkRating(c.who, c.dir, cs, banksLeadingIn(c.assignments.get(cs.id) ?? [], date.slice(0, 4)), date, c.dates);
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
      // A return on file: a rating of the case equal in every identity field (the rating's definition says which).
      // The batch's cases' ratings are read once, a chunk of cases per query.
      const onFile = new Map<number, Set<string>>();
      const ids = [...new Set(items.map((i) => i.record.caseId))];
      for (let i = 0; i < ids.length; i += 500) {
        for (const row of await tx.selectFrom('satisfaction').selectAll().where('case_id', 'in', ids.slice(i, i + 500)).execute()) {
          const keys = onFile.get(row.case_id) ?? new Set<string>();
          keys.add(RATING.key(RATING.fromRow(row)));
          onFile.set(row.case_id, keys);
        }
      }
      for (const { record: r } of items) {
        const key = RATING.key(r);
        const keys = onFile.get(r.caseId) ?? new Set<string>();
        if (keys.has(key)) {
          counts.unchanged += 1;
          continue;
        }
        keys.add(key);
        onFile.set(r.caseId, keys);
        const cs = byId.get(r.caseId)!;
        authorize(who, 'case.satisfaction', { ...caseTarget(c.dir, cs), ledInYear: banksLeadingIn(c.assignments.get(cs.id) ?? [], r.date.slice(0, 4)) });
        await insertRating(tx, who, cs, r.rating, r.date, batchId);
        counts.added += 1;
      }
      return counts;
    },
  };
}
