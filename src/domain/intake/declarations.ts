/**
 * The online declaration (网上申报, docs/formats.md): the questionnaire, reading the survey platform's export, and
 * recording a declaration on a recommended enterprise's case. A later submission replaces the earlier one;
 * every submission is kept.
 */
import type { Kysely } from 'kysely';
import { cellDate, type Cell } from '../../import/cell.js';
import { headerKey, type ColumnSpec, type TitleMatcher } from '../../import/header.js';
import type { ImportSpec, RowReader } from '../imports/index.js';
import { localTimestamp } from '../../store/audit.js';
import { currentDeclaration, listCases, updateCase, type CaseRow } from '../../store/cases.js';
import type { Store } from '../../store/db.js';
import type { DB } from '../../store/schema.js';
import { parseDate } from '../../util/dates.js';
import { formatMoney, parseMoney } from '../../util/money.js';
import { controlProblem, normaliseText } from '../../util/text.js';
import { authorize, caseTarget, caseVisibility, checkStepDate, checkUscc, decide, Directory, EntryDates, normaliseMobile, recordStep, requireStage, STAGE_LABEL, visibleCase, type Actor } from '../core/index.js';

export const INDUSTRIES: [string, string][] = [
  ['A', '农、林、牧、渔业'],
  ['B', '采矿业'],
  ['C', '制造业'],
  ['D', '电力、热力、燃气及水生产和供应业'],
  ['E', '建筑业'],
  ['F', '批发和零售业'],
  ['G', '交通运输、仓储和邮政业'],
  ['H', '住宿和餐饮业'],
  ['I', '信息传输、软件和信息技术服务业'],
  ['J', '金融业'],
  ['K', '房地产业'],
  ['L', '租赁和商务服务业'],
  ['M', '科学研究和技术服务业'],
  ['N', '水利、环境和公共设施管理业'],
  ['O', '居民服务、修理和其他服务业'],
  ['P', '教育'],
  ['Q', '卫生和社会工作'],
  ['R', '文化、体育和娱乐业'],
  ['S', '公共管理、社会保障和社会组织'],
  ['T', '国际组织'],
];
export const SIZES = ['中型', '小型', '微型'];
export const GUARANTEES = ['信用', '保证', '抵押', '质押'];
export const DIFFICULTIES = ['缺乏抵质押物', '财务制度不规范', '信用记录不良', '经营规模小', '行业或产业政策限制', '土地环评等手续不全', '其他'];

type FieldKind = 'text' | 'code' | 'region' | 'industry' | 'size' | 'date' | 'money' | 'signedMoney' | 'int' | 'phone' | 'multi' | 'yesno';

export interface Question {
  key: string;
  title: string;
  group: '企业登记信息' | '经营情况' | '融资情况' | '授权';
  kind: FieldKind;
  required?: boolean;
  options?: string[];
  aliases?: string[];
  /** Free text that may span lines (other text answers are one line). */
  multiline?: boolean;
}

export const QUESTIONS: Question[] = [
  { key: 'name', title: '企业名称', group: '企业登记信息', kind: 'text', required: true },
  { key: 'code', title: '统一社会信用代码', group: '企业登记信息', kind: 'code', required: true },
  { key: 'region', title: '所属区域', group: '企业登记信息', kind: 'region' },
  { key: 'industry', title: '所属行业', group: '企业登记信息', kind: 'industry', options: INDUSTRIES.map(([c, n]) => `${c} ${n}`), aliases: ['国民经济行业门类'] },
  { key: 'size', title: '企业规模', group: '企业登记信息', kind: 'size', options: SIZES },
  { key: 'founded', title: '成立日期', group: '企业登记信息', kind: 'date' },
  { key: 'capital', title: '注册资本（万元）', group: '企业登记信息', kind: 'money' },
  { key: 'legalRep', title: '法定代表人', group: '企业登记信息', kind: 'text' },
  { key: 'contact', title: '联系人', group: '企业登记信息', kind: 'text' },
  { key: 'phone', title: '联系电话', group: '企业登记信息', kind: 'phone' },
  { key: 'address', title: '经营地址', group: '企业登记信息', kind: 'text' },
  { key: 'revenue', title: '上年营业收入（万元）', group: '经营情况', kind: 'money' },
  { key: 'profit', title: '上年利润总额（万元）', group: '经营情况', kind: 'signedMoney' },
  { key: 'employees', title: '从业人数', group: '经营情况', kind: 'int' },
  { key: 'tax', title: '上年纳税总额（万元）', group: '经营情况', kind: 'money' },
  { key: 'products', title: '主要产品或服务', group: '经营情况', kind: 'text', multiline: true },
  { key: 'loanBalance', title: '现有贷款余额（万元）', group: '融资情况', kind: 'money' },
  { key: 'demand', title: '融资需求金额（万元）', group: '融资情况', kind: 'money' },
  { key: 'term', title: '需求期限（月）', group: '融资情况', kind: 'int' },
  { key: 'purpose', title: '资金用途', group: '融资情况', kind: 'text', multiline: true },
  { key: 'guarantees', title: '可提供担保方式', group: '融资情况', kind: 'multi', options: GUARANTEES },
  { key: 'difficulties', title: '融资难原因', group: '融资情况', kind: 'multi', options: DIFFICULTIES },
  { key: 'authorised', title: '是否同意授权查询企业及法定代表人信用信息', group: '授权', kind: 'yesno', required: true, options: ['是', '否'], aliases: ['是否同意授权查询'] },
];

/** Columns a survey platform adds; kept as metadata. 提交答卷时间 is the declaration date. */
export const PLATFORM_COLUMNS = ['序号', '提交答卷时间', '所用时间', '来源', '来源详情', '来自IP', '总分', '答卷编号', '用户ID', '填写设备', '作答时长'];

export const DECLARATION_COLUMNS: ColumnSpec[] = [
  ...QUESTIONS.map((q) => ({ key: q.key, title: q.title, required: q.required, aliases: q.aliases, multiline: q.multiline })),
  ...PLATFORM_COLUMNS.map((t) => ({ key: t === '序号' ? 'serial' : t === '提交答卷时间' ? 'submittedAt' : `meta:${t}`, title: t })),
];

/** Question titles as platforms write them: "1、企业名称：", "Q2.统一社会信用代码", "第3题 所属区域", "(4)所属行业". */
export function stripNumbering(title: string): string {
  return normaliseText(title)
    .replace(/^(?:第\s*\d+\s*题|[QqＱ]\s*\d+|\(\s*\d+\s*\)|（\s*\d+\s*）|\d+)\s*[、.．:：)）-]?\s*/, '')
    .replace(/\s*[[【(（]\s*(单选题|多选题|填空题|下拉题|必填|请选择|可多选)\s*[\]】)）]\s*$/, '')
    .replace(/[:：?？]+\s*$/, '');
}

export function declarationMatcher(): TitleMatcher {
  const map = new Map<string, string>();
  for (const c of DECLARATION_COLUMNS) for (const t of [c.title, ...(c.aliases ?? [])]) map.set(headerKey(t), c.key);
  const loose = new Map<string, string>();
  for (const [k, v] of map) loose.set(k.replace(/\([^)]*\)$/, ''), v);
  return (title) => {
    const k = headerKey(stripNumbering(title));
    return map.get(k) ?? loose.get(k.replace(/\([^)]*\)$/, ''));
  };
}

export function splitChoices(s: string): string[] {
  return [...new Set(s.split(/[┋|、,，;；\n]/).map((x) => normaliseText(x)).filter(Boolean))];
}

export type DeclarationData = Record<string, string | number | string[] | null>;

export interface FieldReader {
  text(key: string): string;
  cell(key: string): Cell;
  fail(key: string, reason: string, value?: string): void;
}

/** Reads and validates the answers; money as exact decimal text (万元, 2 decimals). */
export function readAnswers(r: FieldReader, dir: Directory): DeclarationData {
  const data: DeclarationData = {};
  for (const q of QUESTIONS) {
    const raw = r.text(q.key);
    if (!raw) {
      if (q.required) r.fail(q.key, '必填，不能为空');
      data[q.key] = q.kind === 'multi' ? [] : null;
      continue;
    }
    switch (q.kind) {
      case 'text': {
        const bad = controlProblem(raw, q.multiline === true);
        if (bad) r.fail(q.key, bad);
        else if (Array.from(raw).length > 500) r.fail(q.key, '不超过 500 字');
        data[q.key] = raw;
        break;
      }
      case 'code': {
        const c = checkUscc(raw);
        data[q.key] = c.code;
        break;
      }
      case 'region': {
        const reg = dir.findRegion(raw);
        if (!reg) r.fail(q.key, dir.unknownRegion(dir.districts));
        data[q.key] = reg?.name ?? raw;
        break;
      }
      case 'industry': {
        const letter = /^([A-Ta-t])(?![A-Za-z])/.exec(raw)?.[1]?.toUpperCase();
        const found = INDUSTRIES.find(([c, n]) => c === letter || raw.includes(n));
        if (!found) r.fail(q.key, '应为国民经济行业门类 A–T 之一（如“C 制造业”）');
        data[q.key] = found ? `${found[0]} ${found[1]}` : raw;
        break;
      }
      case 'size': {
        const s = SIZES.find((x) => raw.startsWith(x[0]!) && (raw.length === 1 || raw.startsWith(x)));
        if (!s) r.fail(q.key, '应为 中型 / 小型 / 微型');
        data[q.key] = s ?? raw;
        break;
      }
      case 'date': {
        const d = cellDate(r.cell(q.key)) ?? parseDate(raw);
        if (!d) r.fail(q.key, '不是有效日期（YYYY-MM-DD）');
        data[q.key] = d ?? raw;
        break;
      }
      case 'money':
      case 'signedMoney': {
        const neg = q.kind === 'signedMoney' && /^-/.test(raw);
        const cents = parseMoney(neg ? raw.slice(1) : raw);
        if (cents === undefined) r.fail(q.key, `不是有效金额（万元，最多两位小数${q.kind === 'money' ? '，不能为负' : ''}）`);
        data[q.key] = cents === undefined ? raw : (neg && cents > 0 ? '-' : '') + formatMoney(cents);
        break;
      }
      case 'int': {
        const n = Number(raw.replace(/[,，\s]/g, ''));
        if (!Number.isInteger(n) || n < 0 || n > 10_000_000) r.fail(q.key, '应为非负整数');
        data[q.key] = Number.isInteger(n) ? n : raw;
        break;
      }
      case 'phone': {
        const m = normaliseMobile(raw);
        const landline = /^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/.test(raw.replace(/\s/g, ''));
        if (!m && !landline) r.fail(q.key, '应为手机号或固定电话（如 0711-1234567）');
        data[q.key] = m ?? raw.replace(/\s/g, '');
        break;
      }
      case 'multi': {
        const picked = splitChoices(raw);
        const bad = picked.filter((p) => !q.options!.includes(p) && !(q.key === 'difficulties' && p.startsWith('其他')));
        if (bad.length > 0) r.fail(q.key, `选项「${bad.join('、')}」不在 ${q.options!.join(' / ')} 中`);
        data[q.key] = picked;
        break;
      }
      case 'yesno': {
        const yes = /^(是|同意|yes|y|1|true|√)/i.test(raw);
        const no = /^(否|不同意|no|n|0|false)/i.test(raw);
        if (!yes && !no) r.fail(q.key, '应为 是 / 否');
        data[q.key] = yes ? '是' : no ? '否' : raw;
        break;
      }
    }
  }
  return data;
}

/**
 * One answer checked exactly as the import checks its column (for `declare add`, which asks again
 * instead of throwing the questionnaire away): the reason it is refused, or undefined.
 */
export function answerProblem(dir: Directory, key: string, answer: Cell): string | undefined {
  let problem: string | undefined;
  const empty: Cell = { kind: 'empty', text: '' };
  readAnswers(
    {
      text: (k) => (k === key ? answer.text : ''),
      cell: (k) => (k === key ? answer : empty),
      fail: (k, reason) => {
        if (k === key) problem ??= reason;
      },
    },
    dir,
  );
  return problem;
}

export interface DeclarationRecord {
  caseId: number;
  code: string;
  submittedOn: string;
  submittedAt: string | null;
  data: DeclarationData;
  meta: Record<string, string>;
}

/** What the import needs from the database, loaded once: open cases by enterprise code. */
export async function declarationContext(db: Kysely<DB>, dir: Directory, who: Actor, correction?: string) {
  const dates = await EntryDates.load(db, who, correction);
  const open = await listCases(db, { stages: ['recommended', 'declared', 'verified', 'confirmed', 'assigned'] });
  // A firm outside the actor's scope is as unknown as one never recommended (its district is not shown).
  const visible = await caseVisibility(db, who);
  return { dir, who, dates, cases: new Map(open.filter(visible).map((c) => [c.enterprise_code, c])) };
}

/** The submission time of a row: an Excel date cell or text like "2024/3/5 10:22:33". */
export function submissionTime(cell: Cell): { date?: string; at?: string } {
  if (!cell.text) return {};
  const d = cellDate(cell);
  if (d) return { date: d, at: d };
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?/.exec(cell.text);
  if (!m) return {};
  const date = parseDate(`${m[1]}-${m[2]}-${m[3]}`);
  if (!date) return {};
  const time = m[4] ? `${m[4].padStart(2, '0')}:${m[5]}:${(m[6] ?? '00').padStart(2, '0')}` : '';
  return { date, at: time ? `${date} ${time}` : date };
}

export function declarationImportSpec(c: Awaited<ReturnType<typeof declarationContext>>): ImportSpec<DeclarationRecord> {
  return {
    kind: 'declarations',
    dates: c.dates,
    columns: DECLARATION_COLUMNS,
    match: declarationMatcher(),
    parseRow(row: RowReader) {
      const data = readAnswers(row, c.dir);
      const codeText = row.text('code');
      const meta: Record<string, string> = {};
      for (const [k, v] of Object.entries(row.all())) if (k.startsWith('meta:') && v) meta[k.slice(5)] = v;
      const time = submissionTime(row.cell('submittedAt'));
      if (row.text('submittedAt') && !time.date) row.fail('submittedAt', '不是有效的时间（如 2024/3/5 10:22:33）');
      const submittedOn = time.date ?? c.who.today;
      const late = c.dates.problem(submittedOn, '申报');
      if (late) row.fail('submittedAt', late);
      if (!codeText) return undefined;
      const check = checkUscc(codeText);
      if (!check.ok && !check.badCheck) {
        row.fail('code', check.reason);
        return undefined;
      }
      const cs = c.cases.get(check.code);
      if (!cs) {
        row.fail('code', check.ok ? '该企业没有经部门推荐（或其记录已办结/未入选），不能申报：请先 xypz recommend' : check.reason);
        return undefined;
      }
      if (cs.stage !== 'recommended' && cs.stage !== 'declared') {
        row.fail('code', `该企业已${STAGE_LABEL[cs.stage]}，申报内容不能再修改`);
      }
      const decision = decide(c.who.profile!, 'case.declare', { region: cs.region_code, regionName: c.dir.regionName(cs.region_code) });
      if (!decision.ok) row.fail('code', decision.reason);
      const region = data.region ? c.dir.findRegion(String(data.region)) : undefined;
      if (region && region.code !== cs.region_code) row.fail('region', `与推荐记录不符：该企业由${c.dir.regionName(cs.region_code)}推荐`);
      if (submittedOn < cs.recommended_on) row.fail('submittedAt', `早于推荐日期（${cs.recommended_on}）`);
      if (row.problems.length > 0) return undefined;
      return { caseId: cs.id, code: check.code, submittedOn, submittedAt: time.at ?? null, data, meta };
    },
    async apply(tx, items, who, batchId) {
      let added = 0;
      let updated = 0;
      let unchanged = 0;
      for (const { record } of items) {
        const cs = c.cases.get(record.code)!;
        authorize(who, 'case.declare', caseTarget(c.dir, cs));
        const r = await recordDeclaration(tx, who, record, batchId);
        if (r === 'added') added += 1;
        else if (r === 'updated') updated += 1;
        else unchanged += 1;
      }
      return { added, updated, unchanged };
    },
  };
}

/** A declaration entered by hand (declare add): validated answers recorded on the case, dated `date`. */
/**
 * The case a declaration is entered for, checked before the questionnaire is asked (permission, stage, and
 * the date with the correction's reason, if given: a refused date is said before the questions, not after).
 */
export async function caseToDeclare(db: Kysely<DB>, dir: Directory, who: Actor, code: string, entry?: { date: string; correction?: string }): Promise<CaseRow> {
  const c = await visibleCase(db, who, code);
  authorize(who, 'case.declare', caseTarget(dir, c));
  requireStage(c, ['recommended', 'declared'], '录入申报');
  if (entry) (await EntryDates.load(db, who, entry.correction)).check(entry.date, `${c.name}的申报`, { date: c.recommended_on, label: '推荐日期' });
  return c;
}

export async function addDeclaration(store: Store, who: Actor, c: CaseRow, data: DeclarationData, date: string, correction?: string): Promise<'added' | 'updated' | 'unchanged'> {
  return store.write(async (tx) => {
    authorize(who, 'case.declare', caseTarget(await Directory.load(tx), c));
    const dates = await EntryDates.load(tx, who, correction);
    const r = await recordDeclaration(tx, who, { caseId: c.id, code: c.enterprise_code, submittedOn: date, submittedAt: null, data, meta: { 来源: 'xypz declare add' } }, null, dates);
    await dates.record(tx);
    return r;
  });
}

/**
 * Records one submission on its case: the first one declares the case; a later one replaces the current
 * declaration (the earlier stays as history); an identical one changes nothing; an older one is kept as
 * history without replacing the newer. `dates` checks the submission's date (an import checks each row's
 * as it reads it).
 */
export async function recordDeclaration(tx: Kysely<DB>, who: Actor, r: DeclarationRecord, batchId: number | null, dates?: EntryDates): Promise<'added' | 'updated' | 'unchanged'> {
  const c = (await tx.selectFrom('case_file').innerJoin('enterprise', 'enterprise.code', 'case_file.enterprise_code').selectAll('case_file').select('enterprise.name').where('case_file.id', '=', r.caseId).executeTakeFirstOrThrow()) as CaseRow;
  requireStage(c, ['recommended', 'declared'], '修改申报');
  if (dates) dates.check(r.submittedOn, `${c.name}的申报`, { date: c.recommended_on, label: '推荐日期' });
  else checkStepDate(r.submittedOn, who, { date: c.recommended_on, label: '推荐日期' });
  const cur = await currentDeclaration(tx, c.id);
  const dataJson = JSON.stringify(r.data);
  const authorised = r.data.authorised === '是' ? 1 : 0;
  // Any submission already stored (current or history) is not stored again.
  const same = await tx
    .selectFrom('declaration')
    .select('id')
    .where('case_id', '=', c.id)
    .where('data', '=', dataJson)
    .where('submitted_on', '=', r.submittedOn)
    .where((eb) => (r.submittedAt === null ? eb('submitted_at', 'is', null) : eb('submitted_at', '=', r.submittedAt)))
    .executeTakeFirst();
  if (same) return 'unchanged';
  const at = localTimestamp(who.now);
  const newer = !cur || (r.submittedAt ?? r.submittedOn) >= (cur.submitted_at ?? cur.submitted_on);
  if (cur && newer) await tx.updateTable('declaration').set({ current: 0 }).where('id', '=', cur.id).execute();
  await tx
    .insertInto('declaration')
    .values({ case_id: c.id, submitted_on: r.submittedOn, submitted_at: r.submittedAt, authorised, data: dataJson, meta: JSON.stringify(r.meta), current: newer ? 1 : 0, batch_id: batchId, created_at: at })
    .execute();
  if (newer) {
    await updateCase(tx, c.id, { stage: 'declared', declared_on: r.submittedOn, authorised, updated_at: at });
    await recordStep(tx, who, c, {
      date: r.submittedOn,
      kind: cur ? 'redeclared' : 'declared',
      details: { authorised: r.data.authorised, demand: r.data.demand ?? null },
      before: cur ? { declared_on: cur.submitted_on, authorised: cur.authorised === 1 } : { stage: c.stage },
    });
  }
  return cur ? 'updated' : 'added';
}
