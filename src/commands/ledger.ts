/**
 * xypz ledger <code>: an enterprise's whole timeline. xypz ledger --district D [--out 台账.xlsx]: the
 * district ledger (工作台账), one row per enterprise.
 */
import { districtLedger, enterpriseDetail, readableCase, type LedgerRow } from '../domain/enterprises/index.js';
import { reportingUnit } from '../domain/core/index.js';
import { UsageError } from '../errors.js';
import { checkOutputPath } from '../render/files.js';
import { describeDetails } from '../render/history.js';
import { printJson, printList, renderTable } from '../render/output.js';
import { writeTableBook, type SheetColumn } from '../render/xlsx.js';
import { defineCommand, optionalArg, text } from './define.js';
import { session } from './session.js';
import { dateInWords } from '../util/dates.js';
import { visible } from '../util/text.js';

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
  { header: '办结结果', kind: 'text', value: (r) => r.outcome_label },
  { header: '推荐次数', kind: 'int', unit: '次', value: (r) => r.recommendations },
];

export const command = defineCommand({
  args: { code: optionalArg('统一社会信用代码') },
  options: {
    district: text('--district <区域>', '区域台账'),
    out: text('--out <文件.xlsx>', '导出区域台账'),
  },
  async run(ctx, { code }, opts) {
    if (!code && !opts.district) throw new UsageError('用法：xypz ledger <统一社会信用代码>，或 xypz ledger --district <区域> [--out 台账.xlsx]');
    if (code && opts.district) throw new UsageError('企业代码与 --district 只能给一个');
    const out = opts.out ? checkOutputPath(ctx.path(opts.out), ['.xlsx']) : undefined;
    const { store, dir, who } = await session(ctx);
    if (code) {
      if (out) throw new UsageError('--out 只用于区域台账（--district）');
      const c = await readableCase(store.db, dir, who, code);
      const d = await enterpriseDetail(store.db, dir, who, c);
      if (ctx.json) return printJson(ctx, d);
      ctx.out(`${visible(d.name)}（${d.code}）工作台账　${visible(d.district)}　${d.stage_label}${d.class_label ? `·${d.class_label}` : ''}${d.lead_bank ? `　主办行：${visible(d.lead_bank)}` : ''}`);
      ctx.out(`授信合计 ${d.credit_total} 万元，放款合计 ${d.disbursement_total} 万元；辅导事项 ${d.coaching.length} 项`);
      ctx.out(
        await renderTable(ctx, d.history, [
          { header: '日期', value: (h) => h.date },
          { header: '事项', value: (h) => h.label },
          { header: '操作人', value: (h) => h.actor },
          { header: '内容', value: (h) => describeDetails(h.details), max: 70 },
        ]),
      );
      return;
    }
    const rows = await districtLedger(store.db, dir, who, opts.district!);
    const region = dir.district(opts.district!);
    if (out) {
      await writeTableBook(
        out,
        [{ name: '工作台账', title: `${region.name}信用培植工程工作台账`, period: `截至${dateInWords(ctx.today())}`, serial: true, total: 'sum', columns: LEDGER_COLUMNS, rows }],
        { lines: [['区域', region.name], ['生成日期', ctx.today()], ['范围', '推荐到本区的每家企业一行（含未入选、已办结），列出其最近一次推荐的办理情况；推荐次数含以前未入选或已办结的推荐'], ['金额', '万元，两位小数']] },
        { unit: reportingUnit(dir, who, region.code), date: ctx.today() },
      );
      if (ctx.json) return printJson(ctx, { path: out, rows: rows.length });
      return ctx.out(out);
    }
    await printList(
      ctx,
      rows,
      [
        { header: '企业名称', value: (r) => r.name },
        { header: '阶段', value: (r) => r.stage_label },
        { header: '分类', value: (r) => r.class_label },
        { header: '主办行', value: (r) => r.lead_bank },
        { header: '授信', value: (r) => r.credit_total, align: 'right' },
        { header: '放款', value: (r) => r.disbursement_total, align: 'right' },
        { header: '辅导(未/已)', value: (r) => `${r.coaching_open}/${r.coaching_closed}` },
      ],
      (r) => r,
      { empty: `${region.name}还没有企业记录`, footer: `共 ${rows.length} 条` },
    );
  },
});
