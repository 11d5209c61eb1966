/**
 * The 核查报告 as a workbook that prints on one portrait A4 page: the title, the 填报单位 line, the firm's
 * identity in label/value pairs, then 基本情况, 原因分析, 对策建议 and 核查人员, each a labelled block of
 * wrapped text. Amounts carry their unit (万元).
 */
import type { Worksheet } from 'exceljs';
import { dateInWords } from '../util/dates.js';
import { safeText } from './formula.js';
import { linesIn, PRINTABLE, rowHeight, textWidth, unitsFor } from './sheet-layout.js';
import { writeBook } from './xlsx.js';
import { BODY, BOLD, BORDER, CENTRE, formHead, printSetup, setWidths, type FormSpec } from './xlsx-form.js';

/** The report's fields, two to a row; a field alone on its row spans the width. */
const IDENTITY: (string | [string, string])[] = [
  '企业名称',
  ['统一社会信用代码', '所属区域'],
  ['推荐部门', '推荐日期'],
  ['所属行业', '企业规模'],
  ['成立日期', '注册资本'],
  ['法定代表人', '从业人数'],
  ['上年营业收入', '上年利润总额'],
  ['上年纳税总额', '现有贷款余额'],
  ['融资需求金额', '需求期限'],
  '资金用途',
  '可提供担保方式',
  '融资难原因',
  ['核查日期', '分类'],
];
const BLOCKS = ['基本情况', '原因分析', '对策建议', '核查人员'];
const UNIT: Record<string, string> = {
  注册资本: '万元',
  上年营业收入: '万元',
  上年利润总额: '万元',
  上年纳税总额: '万元',
  现有贷款余额: '万元',
  融资需求金额: '万元',
  从业人数: '人',
  需求期限: '个月',
};
const LABEL = unitsFor(textWidth('统一社会信用代码'));
const VALUE = (PRINTABLE.portrait - 2 * LABEL) / 2;
const WIDTHS = [LABEL, VALUE, LABEL, VALUE];

function labelled(ws: Worksheet, r: number, col: number, label: string, value: string, span: number): number {
  Object.assign(ws.getCell(r, col), { value: label, font: BOLD, alignment: CENTRE, border: BORDER });
  if (span > 1) ws.mergeCells(r, col + 1, r, col + span);
  for (let j = col + 1; j <= col + span; j++) ws.getCell(r, j).border = BORDER;
  Object.assign(ws.getCell(r, col + 1), { value: safeText(value), font: BODY, alignment: { horizontal: 'left', vertical: 'middle', wrapText: true, indent: 1 } });
  const width = WIDTHS.slice(col, col + span).reduce((s, w) => s + w, 0);
  return Math.max(linesIn(label, LABEL), linesIn(value, width));
}

export async function writeVerificationBook(path: string, fields: [string, string][], form: Required<FormSpec>): Promise<void> {
  const field = new Map(fields);
  const shown = (k: string) => {
    const v = field.get(k) ?? '—';
    return UNIT[k] && v !== '—' ? `${v} ${UNIT[k]}` : v;
  };
  await writeBook(path, (wb) => {
    const ws = wb.addWorksheet('核查报告');
    setWidths(ws, WIDTHS);
    let r = formHead(ws, WIDTHS, { title: `${field.get('企业名称') ?? ''}核查报告`, measure: `报出日期：${dateInWords(form.date)}` }, form);
    for (const item of IDENTITY) {
      const lines = typeof item === 'string' ? labelled(ws, r, 1, item, shown(item), 3) : Math.max(...item.map((k, i) => labelled(ws, r, 1 + 2 * i, k, shown(k), 1)));
      ws.getRow(r++).height = rowHeight(lines);
    }
    for (const k of BLOCKS) {
      const lines = labelled(ws, r, 1, k, shown(k), 3);
      ws.getCell(r, 2).alignment = { horizontal: 'left', vertical: 'top', wrapText: true, indent: 1 };
      ws.getRow(r++).height = rowHeight(Math.max(lines, 3));
    }
    printSetup(ws, 'portrait', undefined, true);
  });
}
