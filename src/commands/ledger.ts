/**
 * xypz ledger <code>: an enterprise's whole timeline. xypz ledger --district D [--out 台账.xlsx]: the
 * district ledger (工作台账), one row per enterprise. xypz ledger --out 台账.xlsx: the city's, a 汇总 sheet and
 * each district's.
 */
import { cityLedger, districtLedger, enterpriseDetail, readableCase } from '../domain/enterprises/index.js';
import { reportingUnit } from '../domain/core/index.js';
import { UsageError } from '../errors.js';
import { checkOutputPath } from '../render/files.js';
import { describeDetails } from '../render/history.js';
import { printJson, printList, renderTable } from '../render/output.js';
import { writeCityLedger, writeDistrictLedger } from '../render/ledgerbook.js';
import { defineCommand, optionalArg, text } from './define.js';
import { session } from './session.js';
import { visible } from '../util/text.js';

export const command = defineCommand({
  args: { code: optionalArg('统一社会信用代码') },
  options: {
    district: text('--district <区域>', '区域台账'),
    out: text('--out <文件.xlsx>', '导出台账：带 --district 为区域台账，不带为全市台账（汇总及每区一张表）'),
  },
  async run(ctx, { code }, opts) {
    if (!code && !opts.district && !opts.out) throw new UsageError('用法：xypz ledger <统一社会信用代码>，xypz ledger --district <区域> [--out 台账.xlsx]，或 xypz ledger --out 全市台账.xlsx');
    if (code && opts.district) throw new UsageError('企业代码与 --district 只能给一个');
    const out = opts.out ? checkOutputPath(ctx.path(opts.out), ['.xlsx']) : undefined;
    const { store, dir, who } = await session(ctx);
    if (code) {
      if (out) throw new UsageError('--out 只用于台账（全市，或带 --district 的区域台账），不用于单个企业');
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
    if (!opts.district) {
      const districts = await cityLedger(store.db, dir, who);
      await writeCityLedger(out!, districts, { unit: reportingUnit(dir, who), date: ctx.today() });
      if (ctx.json) return printJson(ctx, { path: out, rows: districts.reduce((s, d) => s + d.rows.length, 0) });
      return ctx.out(out!);
    }
    const rows = await districtLedger(store.db, dir, who, opts.district);
    const region = dir.district(opts.district);
    if (out) {
      await writeDistrictLedger(out, region.name, rows, { unit: reportingUnit(dir, who, region.code), date: ctx.today() });
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
        { header: '辅导(未/结/止)', value: (r) => `${r.coaching_open}/${r.coaching_closed}/${r.coaching_ended}` },
      ],
      (r) => r,
      { empty: `${region.name}还没有企业记录`, footer: `共 ${rows.length} 条` },
    );
  },
});
