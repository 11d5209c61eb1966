/**
 * The revisions of a published period as every output shows them: the note of a published report
 * ("本期有 N 项更正（--revised 查看）") and, in a revised report, the 修订说明 table: each correction, when it was
 * recorded, by whom, why, and the figures it moves from → to (docs/figures.md).
 */
import type { Context } from '../context.js';
import type { FigureChange, ReportStatus, Revision } from '../domain/reporting/index.js';
import type { SheetSpec } from './xlsx.js';
import { percent } from '../util/rates.js';

const TABLE_NAME: Record<string, string> = {
  districts: '分区域',
  total: '分区域',
  banks: '金融机构',
  banks_unassigned: '金融机构',
  banks_other: '金融机构',
  banks_total: '金融机构',
  'ranking.districts': '区域通报排名',
  'ranking.banks': '金融机构通报排名',
};

function valueText(unit: string, v: number | boolean | null): string {
  if (v === null) return unit === '是否' ? '无需报送' : unit === '比率' ? '无评价' : '—';
  if (typeof v === 'boolean') return v ? '已报送' : '未报送';
  if (unit === '万元' || unit === '分') return v.toFixed(2);
  if (unit === '比率') return percent(v);
  return String(v);
}

/** 分区域·鄂城区·放款金额（万元）：120.00 → 150.00 */
export function changeText(c: FigureChange): string {
  return `${TABLE_NAME[c.table] ?? c.table}·${c.row}·${c.label}：${valueText(c.unit, c.from)} → ${valueText(c.unit, c.to)}`;
}

/** The line a report shows about its revisions, or undefined when there is nothing to say. */
export function revisionNote(status: ReportStatus, revisions: readonly Revision[]): string | undefined {
  if (status.mode === 'published' && revisions.length > 0) return `本期有 ${revisions.length} 项更正（--revised 查看）`;
  if (status.mode === 'revised') return revisions.length > 0 ? `本表为修订数：含 ${revisions.length} 项更正，见修订说明` : '本表为修订数：本期没有影响数字的更正';
  return undefined;
}

const who = (r: Revision) => (r.org ? `${r.actor}（${r.org}）` : r.actor);

/** When a correction was recorded, as people read it: to the second (the JSON keeps the whole stamp). */
const when = (r: Revision) => r.recorded_at.slice(0, 19);

/** The 修订说明 table (workbook sheet, HTML form, CSV block): one row per correction. */
export function revisionTable(title: string, revisions: Revision[]): SheetSpec<unknown> {
  return {
    name: '修订说明',
    title: `${title}（修订说明）`,
    serial: true,
    empty: '本期没有影响数字的更正',
    columns: [
      { header: '更正内容', kind: 'text', wrap: true, value: (r: Revision) => r.what },
      { header: '登记时间', kind: 'text', value: when },
      { header: '登记人', kind: 'text', value: who },
      { header: '理由', kind: 'text', wrap: true, value: (r: Revision) => r.reason },
      { header: '影响的数字（原数 → 修订数）', kind: 'text', wrap: true, value: (r: Revision) => r.changes.map(changeText).join('\n') },
    ],
    rows: revisions,
  } as SheetSpec<unknown>;
}

/**
 * The note and, in a revised report, the 修订说明 on the terminal: each correction on one line, each figure it
 * moves on a line of its own under it (a table would be far wider than a terminal).
 */
export function printRevisions(ctx: Context, status: ReportStatus, revisions: Revision[]): void {
  const note = revisionNote(status, revisions);
  if (note) ctx.out(note);
  if (status.mode !== 'revised' || revisions.length === 0) return;
  ctx.out('修订说明：');
  revisions.forEach((r, i) => {
    ctx.out(`${i + 1}. ${r.what}（${when(r)} 由 ${who(r)} 登记；理由：${r.reason}）`);
    for (const c of r.changes) ctx.out(`   ${changeText(c)}`);
  });
}

const cell = (t: string) => t.replace(/[|｜]/g, '／').replace(/\s*\n\s*/g, '；');

/**
 * The 修订说明's columns on an A4 page, as the dashes of its Markdown rule give them (relative widths): the
 * figures moved take the most room, one figure a line; the time of recording goes under its date.
 */
const RULE = '|-------|-----------------|-------------|---------------|------------|------------------------------------|';

/**
 * The note and, in a revised report, the 修订说明 table, as the end of a narrative report's text (Markdown, read
 * by parseNarrative for the .docx, the .md and the workbook's narrative sheet); empty when there is nothing to say.
 */
export function revisionMarkdown(status: ReportStatus, revisions: Revision[]): string {
  const note = revisionNote(status, revisions);
  if (!note) return '';
  const lines = ['', `注：${note}。`];
  if (status.mode === 'revised' && revisions.length > 0) {
    lines.push('', '## 修订说明', '', '| 序号 | 更正内容 | 登记时间 | 登记人 | 理由 | 影响的数字（原数 → 修订数） |', RULE);
    revisions.forEach((r, i) => {
      const by = r.org ? `${cell(r.actor)}<br>（${cell(r.org)}）` : cell(r.actor);
      lines.push(`| ${i + 1} | ${cell(r.what)} | ${when(r).replace(' ', '<br>')} | ${by} | ${cell(r.reason)} | ${r.changes.map((c) => cell(changeText(c))).join('<br>')} |`);
    });
  }
  return `${lines.join('\n')}\n`;
}
