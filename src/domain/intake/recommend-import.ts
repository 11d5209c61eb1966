/**
 * `recommend import`: a department's 推荐名单 as a sheet, every row under the rules of `recommend`
 * (recommend.ts): the code check, one open case per firm, the yearly quota per department and district counted
 * across the file and the database (a 4th needs its 超额理由), the district the firm is registered in.
 * A row already recorded (same firm, department and date, still open) is unchanged.
 */
import type { Kysely } from 'kysely';
import { currentCases, listCases, type CaseRow } from '../../store/cases.js';
import type { DB } from '../../store/schema.js';
import { authorize, caseVisibility, EntryDates, isOpen, QUOTA_PER_YEAR, type Actor, type Directory, type Parsed } from '../core/index.js';
import { checkEnterpriseRegion, checkNoOpenCase, checkQuota, recordRecommendation, unusedReasonNote, type RecommendInput } from './recommend.js';
import { CASE, ENTERPRISE, enterpriseCode, RECOMMEND_COLUMNS } from './records.js';
import { formatProblem, type ImportSpec, type RowReader } from '../imports/index.js';

export const QUOTA_HINT = '请在「超额理由」列写明理由';

interface RecommendRecord extends RecommendInput {
  allowBadCheck: boolean;
  /** Already recorded by an earlier import of the same list. */
  same: boolean;
}

type Made = { name: string; enterprise_code: string; recommended_on: string };

/** A field's cell read by the field's parse: the problem, in the cell's column, when it cannot be. */
function parsedCell<T>(row: RowReader, f: { sheet: { key: string }; parse: (text: string) => Parsed<T> }): T | undefined {
  const p = f.parse(row.text(f.sheet.key));
  if (p.ok) return p.value;
  row.fail(f.sheet.key, p.reason, p.value);
  return undefined;
}

/** What the rows are checked against: the firms on file, their cases, and the recommendations made. */
export async function recommendImportSpec(db: Kysely<DB>, dir: Directory, who: Actor, opts: { allowBadCheck?: boolean; correction?: string } = {}): Promise<ImportSpec<RecommendRecord>> {
  const dates = await EntryDates.load(db, who, opts.correction);
  const all = await listCases(db);
  const current = currentCases(all);
  const made = new Map<string, Made[]>();
  for (const c of all) {
    const k = `${c.recommended_by}|${c.region_code}|${c.recommended_on.slice(0, 4)}`;
    if (!made.has(k)) made.set(k, []);
    made.get(k)!.push(c);
  }
  const enterprises = new Map<string, { name: string; region_code: string }>();
  for (const c of all) enterprises.set(c.enterprise_code, { name: c.name, region_code: c.region_code });
  // A firm outside the actor's scope: the refusals below name neither it nor its district.
  const visible = await caseVisibility(db, who);
  const seen = (code: string) => {
    const c = current.get(code);
    return c === undefined || c.id === undefined || visible(c);
  };
  return {
    kind: 'recommend',
    dates,
    columns: RECOMMEND_COLUMNS,
    parseRow(row) {
      const codeResult = row.check('code', () => enterpriseCode(row.text('code'), opts.allowBadCheck));
      const name = parsedCell(row, ENTERPRISE.fields.name);
      const region = row.check('district', () => dir.district(row.text('district')));
      const dept = region ? row.check('dept', () => dir.department(row.text('dept'), region)) : undefined;
      const date = row.text('date') ? row.date('date') : who.today;
      if (date) row.check('date', () => dates.check(date, '推荐'));
      if (!codeResult || !name || !region || !dept || !date || row.problems.length > 0) return undefined;
      const { code } = codeResult;
      row.check('dept', () => authorize(who, 'case.recommend', { region: region.code, regionName: region.name, deptOrgId: dept.id }));
      row.check('district', () => checkEnterpriseRegion(dir, enterprises.get(code), code, region, seen(code)));
      const open = current.get(code);
      // The firm's open case recommended again (its identity: firm, department, date) is unchanged.
      const same = open !== undefined && isOpen(open.stage) && CASE.rowKey(open) === CASE.key({ enterpriseCode: code, recommendedBy: dept.id, recommendedOn: date });
      if (!same) row.check('code', () => checkNoOpenCase(dir, open, code, seen(code)));
      const year = date.slice(0, 4);
      const key = `${dept.id}|${region.code}|${year}`;
      const before = made.get(key) ?? [];
      const overQuota = row.text('overQuota') || undefined;
      if (!same) row.check('overQuota', () => checkQuota(before, dept, year, overQuota, QUOTA_HINT));
      if (row.problems.length > 0) return undefined;
      if (!same) {
        // Counted for the rows below it, as the database counts it for the next file.
        made.set(key, [...before, { name, enterprise_code: code, recommended_on: date }]);
        current.set(code, { enterprise_code: code, stage: 'recommended', recommended_by: dept.id, recommended_on: date, name } as CaseRow);
        enterprises.set(code, { name, region_code: region.code });
      }
      return { code, name, district: region.code, dept: dept.code, date, reason: row.text('reason') || undefined, overQuota, allowBadCheck: opts.allowBadCheck === true, same };
    },
    uniqueKeys: (r) => [{ column: 'code', key: r.code }],
    async apply(tx, items, w) {
      let added = 0;
      let unchanged = 0;
      const warnings: string[] = [];
      for (const { record: r, loc } of items) {
        if (r.same) {
          unchanged += 1;
          continue;
        }
        const done = await recordRecommendation(tx, w, dir, { ...r, checkOk: enterpriseCode(r.code, r.allowBadCheck).checkOk }, QUOTA_HINT);
        // A reason the quota did not need is not recorded (it would count as 超额推荐): said, row by row.
        if (done.reasonUnused) warnings.push(formatProblem({ ...loc, column: '超额理由', value: null, scope: 'row', reason: `${done.dept}${unusedReasonNote(done, r.date.slice(0, 4), '该理由')}` }));
        added += 1;
      }
      return { added, updated: 0, unchanged, warnings };
    },
  };
}

export const RECOMMEND_INSTRUCTIONS = [
  '1. 每行一家企业。标 * 的列必填；列的顺序可以调整，但请不要修改列名。以“示例”开头的行不会导入。',
  '2. 统一社会信用代码：18 位（GB 32100-2015），已设为文本格式；全角字符、小写字母会自动转换。',
  '3. 所在区：企业所在的区（下拉选择）；推荐部门：部门全称，或部门类别（如“经信”，按所在区找到本区的部门）。',
  '4. 推荐日期：不填为导入当天；不能晚于导入当天，不能早于工作开始日期；已结报月份（报送截止日已过）的推荐须由人民银行以更正方式补录（--correction <理由>）。',
  `5. 每个部门在每个区每年原则上推荐不超过 ${QUOTA_PER_YEAR} 家（本表与已登记的合并计算）；超过的须在“超额理由”列写明理由，理由会记录并在报表中统计；未超额的行填了超额理由不会记录，导入时逐行提示。`,
  '6. 一家企业同时只能有一条办理中的记录：已在办理中的企业不能再次推荐。',
  '7. 整个文件（可以是多个文件）作为一个批次在一个事务中导入：任何一行有问题，整批不导入并逐条列出问题（文件、行、列、值、原因）。',
];
