/**
 * The 工作台账 as a workbook: a district's (one table, split into 办理过程 and 办理结果 when too wide), or the
 * city's (a 汇总 sheet, then each district's table).
 */
import type { LedgerRow } from '../domain/enterprises/index.js';
import { dateInWords } from '../util/dates.js';
import { moneyNumber, sumCents } from '../util/money.js';
import { table, writeTableBook, type FormSpec, type SheetColumn, type SheetSpec } from './xlsx.js';

const DATES = '办理日期';
const LEDGER_COLUMNS: SheetColumn<LedgerRow>[] = [
  { header: '统一社会信用代码', kind: 'text', value: (r) => r.code, section: '办理过程' },
  { header: '企业名称', kind: 'text', value: (r) => r.name, key: true },
  { header: '推荐部门', kind: 'text', value: (r) => r.recommended_by },
  { header: '超额推荐理由', kind: 'text', value: (r) => r.over_quota_reason },
  { header: '推荐日期', group: DATES, sub: '推荐', kind: 'date', value: (r) => r.recommended_on },
  { header: '申报日期', group: DATES, sub: '申报', kind: 'date', value: (r) => r.declared_on },
  { header: '核查日期', group: DATES, sub: '核查', kind: 'date', value: (r) => r.verified_on },
  { header: '入库日期', group: DATES, sub: '入库', kind: 'date', value: (r) => r.confirmed_on },
  { header: '确定主办行日期', group: DATES, sub: '确定主办行', kind: 'date', value: (r) => r.assigned_on },
  { header: '办结日期', group: DATES, sub: '办结', kind: 'date', value: (r) => r.closed_on },
  { header: '阶段', kind: 'text', value: (r) => r.stage_label, section: '办理结果' },
  { header: '分类', kind: 'text', value: (r) => r.class_label },
  { header: '主办行', kind: 'text', value: (r) => r.lead_bank },
  { header: '授信合计（万元）', kind: 'money', value: (r) => r.credit_total },
  { header: '放款合计（万元）', kind: 'money', value: (r) => r.disbursement_total },
  { header: '辅导事项未办结', group: '辅导事项', sub: '未办结', unit: '项', kind: 'int', value: (r) => r.coaching_open },
  { header: '辅导事项已办结', group: '辅导事项', sub: '已办结', unit: '项', kind: 'int', value: (r) => r.coaching_closed },
  { header: '辅导事项终止', group: '辅导事项', sub: '终止', unit: '项', kind: 'int', value: (r) => r.coaching_ended },
  { header: '办结结果', kind: 'text', value: (r) => r.outcome_label },
  { header: '推荐次数', kind: 'int', unit: '次', value: (r) => r.recommendations },
];

const SCOPE = '推荐到本区的每家企业一行（含未入选、已办结），列出其最近一次推荐的办理情况；推荐次数含以前未入选或已办结的推荐';

function ledgerTable(name: string, place: string, today: string, rows: LedgerRow[]): SheetSpec<unknown> {
  return table({ name, title: `${place}信用培植工程工作台账`, period: `截至${dateInWords(today)}`, serial: true, total: 'sum', empty: '无', columns: LEDGER_COLUMNS, rows });
}

/** A district's ledger. */
export async function writeDistrictLedger(path: string, district: string, rows: LedgerRow[], form: FormSpec & { date: string }): Promise<void> {
  await writeTableBook(path, [ledgerTable('工作台账', district, form.date, rows)], {
    lines: [['区域', district], ['生成日期', form.date], ['范围', SCOPE], ['金额', '万元，两位小数']],
  }, form);
}

interface DistrictSum {
  district: string;
  firms: number;
  pooled: number;
  financed: number;
  credit: number;
  loan: number;
  open: number;
  closed: number;
  ended: number;
}

/** A ledger amount (formatMoney's text, always two decimals) back in exact cents. */
const cents = (s: string): bigint => BigInt(s.replace('.', ''));

/** The city's ledger: 汇总 (a row per district, 合计), then each district's ledger on sheets named after it. */
export async function writeCityLedger(path: string, districts: { district: string; rows: LedgerRow[] }[], form: FormSpec & { date: string }): Promise<void> {
  const sums: DistrictSum[] = districts.map(({ district, rows }) => ({
    district,
    firms: rows.length,
    pooled: rows.filter((r) => r.confirmed_on !== null).length,
    financed: rows.filter((r) => cents(r.disbursement_total) > 0n).length,
    credit: moneyNumber(sumCents(rows.map((r) => cents(r.credit_total)))),
    loan: moneyNumber(sumCents(rows.map((r) => cents(r.disbursement_total)))),
    open: rows.reduce((s, r) => s + r.coaching_open, 0),
    closed: rows.reduce((s, r) => s + r.coaching_closed, 0),
    ended: rows.reduce((s, r) => s + r.coaching_ended, 0),
  }));
  const summary = table({
    name: '汇总',
    title: '鄂州市信用培植工程工作台账（汇总）',
    period: `截至${dateInWords(form.date)}`,
    serial: true,
    total: 'sum',
    rows: sums,
    columns: [
      { header: '区域', kind: 'text', value: (s) => s.district },
      { header: '企业数', kind: 'int', unit: '户', value: (s) => s.firms },
      { header: '入库企业数', kind: 'int', unit: '户', value: (s) => s.pooled },
      { header: '获得放款企业数', kind: 'int', unit: '户', value: (s) => s.financed },
      { header: '授信合计（万元）', kind: 'money', value: (s) => s.credit },
      { header: '放款合计（万元）', kind: 'money', value: (s) => s.loan },
      { header: '辅导事项未办结', group: '辅导事项', sub: '未办结', unit: '项', kind: 'int', value: (s) => s.open },
      { header: '辅导事项已办结', group: '辅导事项', sub: '已办结', unit: '项', kind: 'int', value: (s) => s.closed },
      { header: '辅导事项终止', group: '辅导事项', sub: '终止', unit: '项', kind: 'int', value: (s) => s.ended },
    ],
  });
  await writeTableBook(path, [summary, ...districts.map((d) => ledgerTable(d.district, d.district, form.date, d.rows))], {
    lines: [['范围', `全市各区的工作台账：“汇总”每区一行，其后每区一张表（表太宽时分为办理过程、办理结果两张）。${SCOPE.replace('本区', '该区')}`], ['生成日期', form.date], ['金额', '万元，两位小数']],
  }, form);
}
