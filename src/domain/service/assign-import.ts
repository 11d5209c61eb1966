/**
 * `assign import`: the lead banks the 联合协商会议 decided for several firms, as a sheet, under the rules
 * of `assign` (lead-bank.ts checkAssignment): the stage, the date, a reason for a change. One transaction.
 */
import type { Kysely } from 'kysely';
import { DataError, RuleError, XypzError } from '../../errors.js';
import type { ColumnSpec } from '../../import/header.js';
import { currentCases, listCases } from '../../store/cases.js';
import type { DB } from '../../store/schema.js';
import { caseVisibility, checkUscc, EntryDates, loadCase, noVisibleCase, type Actor, type Directory } from '../core/index.js';
import type { ImportSpec, RowReader } from '../imports/index.js';
import { checkAssignment, currentAssignment, writeAssignment } from './lead-bank.js';

export const ASSIGN_MODES = { 自主选择: 'self', 协商指定: 'designated' } as const;

export const ASSIGN_COLUMNS: ColumnSpec[] = [
  { key: 'serial', title: '序号' },
  { key: 'code', title: '统一社会信用代码', aliases: ['信用代码', '社会信用代码'], required: true },
  { key: 'name', title: '企业名称' },
  { key: 'bank', title: '主办行', aliases: ['主办金融机构', '主办银行'], required: true },
  { key: 'mode', title: '方式', aliases: ['确定方式'] },
  { key: 'date', title: '日期', aliases: ['确定日期', '会议日期'] },
  { key: 'reason', title: '更换理由', aliases: ['理由'], multiline: true },
];

export const REASON_HINT = '（「更换理由」列）';

interface AssignRecord {
  code: string;
  bank: string;
  mode: 'self' | 'designated';
  date: string;
  reason?: string;
  same: boolean;
}

/** A refusal of the shared rule, in the column it concerns. */
function failIn(row: RowReader, e: unknown): void {
  if (!(e instanceof XypzError)) throw e;
  const column = e instanceof RuleError && e.code === 'reason_required' ? 'reason' : e instanceof DataError ? 'date' : 'code';
  row.fail(column, e.message);
}

export async function assignImportSpec(db: Kysely<DB>, dir: Directory, who: Actor, correction?: string): Promise<ImportSpec<AssignRecord>> {
  const dates = await EntryDates.load(db, who, correction);
  const cases = currentCases(await listCases(db));
  const visible = await caseVisibility(db, who);
  const current = new Map((await db.selectFrom('bank_assignment').selectAll().where('ended_on', 'is', null).execute()).map((a) => [a.case_id, a]));
  return {
    kind: 'assign',
    dates,
    columns: ASSIGN_COLUMNS,
    parseRow(row) {
      const check = checkUscc(row.text('code'));
      if (!row.text('code')) row.fail('code', '必填');
      else if (!check.ok && !check.badCheck) row.fail('code', check.reason);
      // A firm outside the actor's scope is as unknown as one never recorded (its name is not shown).
      const known = cases.get(check.code);
      const c = known && visible(known) ? known : undefined;
      if (row.text('code') && row.problems.length === 0 && !c) row.fail('code', `${noVisibleCase(check.code).message}（须已推荐、核查并确认入库）`);
      if (c && row.text('name') && row.text('name') !== c.name) row.fail('name', `与登记的企业名称不符（登记为「${c.name}」）：是否填错了行？`);
      const bank = row.check('bank', () => dir.bank(row.text('bank')));
      const modeText = row.text('mode');
      const mode = modeText ? ASSIGN_MODES[modeText as keyof typeof ASSIGN_MODES] : 'self';
      if (!mode) row.fail('mode', '应为 自主选择 / 协商指定');
      const date = row.text('date') ? row.date('date') : who.today;
      if (!c || !bank || !mode || !date || row.problems.length > 0) return undefined;
      const reason = row.text('reason') || undefined;
      let changed = false;
      try {
        changed = checkAssignment(who, dir, c, current.get(c.id), bank, { date, reason }, REASON_HINT, dates).changed;
      } catch (e) {
        failIn(row, e);
        return undefined;
      }
      return { code: c.enterprise_code, bank: bank.code, mode, date, reason, same: !changed };
    },
    uniqueKeys: (r) => [{ column: 'code', key: r.code }],
    async apply(tx, items, w) {
      const counts = { added: 0, updated: 0, unchanged: 0 };
      for (const { record: r } of items) {
        const c = await loadCase(tx, r.code);
        const bank = dir.bank(r.bank);
        const now = await currentAssignment(tx, c.id);
        const { changed, reason } = checkAssignment(w, dir, c, now, bank, r, REASON_HINT, dates);
        if (!changed) counts.unchanged += 1;
        else {
          await writeAssignment(tx, w, dir, c, now, bank, { mode: r.mode, date: r.date, reason });
          counts[now ? 'updated' : 'added'] += 1;
        }
      }
      return counts;
    },
  };
}

export const ASSIGN_INSTRUCTIONS = [
  '1. 每行一家企业，记录联合协商会议确定的主办金融机构。标 * 的列必填；以“示例”开头的行不会导入。',
  '2. 统一社会信用代码：已设为文本格式；企业名称可不填，填了会与登记的名称核对。',
  '3. 主办行：银行全称或简称（下拉选择）。方式：自主选择（企业自主选择，默认）或协商指定。',
  '4. 日期：确定主办行的日期（会议日期），不填为导入当天；不能早于入库日期，也不能晚于导入当天；已结报月份（报送截止日已过）的日期须由人民银行以更正方式补录（--correction <理由>）。',
  '5. 企业须已确认入库；已有主办行的企业更换主办行，须在“更换理由”列说明理由，原主办行保留在历史中。',
  '6. 整个文件作为一个批次在一个事务中导入：任何一行有问题，整批不导入并逐条列出问题。',
];
