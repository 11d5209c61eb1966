/** xypz report overdue: the 督办清单. */
import { overdueFor, overdueMonth } from '../../domain/reporting/index.js';
import { feedbackDeadline, reportingUnit, STALL_DAYS, VACANCY_DAYS } from '../../domain/core/index.js';
import { checkOutputPath } from '../../render/files.js';
import { writeOverdueBook } from '../../render/overduebook.js';
import { printJson, renderTable } from '../../render/output.js';
import { defineCommand, districtOpt, monthOpt, text } from '../define.js';
import { session } from '../session.js';
import { visible } from '../../util/text.js';

export const command = defineCommand({
  description: `督办清单：名单空缺超过 ${VACANCY_DAYS} 天、${STALL_DAYS} 天没有进展的企业、逾期辅导事项、未报送和逾期报送的月度反馈、逾期未交回的月度报送表`,
  options: {
    month: monthOpt('检查哪个月的反馈和报送表（默认报送截止日已过的最近一个月：每月 1–10 日为上上月，此后为上月）').default((ctx) => overdueMonth(ctx.today())),
    district: districtOpt('只看某区'),
    out: text('--out <文件.xlsx>', '导出督办清单（每项一张表，可直接打印）'),
  },
  async run(ctx, _args, opts) {
    const out = opts.out ? checkOutputPath(ctx.path(opts.out), ['.xlsx']) : undefined;
    const { store, dir, who } = await session(ctx);
    const o = await overdueFor(store.db, dir, who, ctx.today(), opts.month, opts.district);
    if (out) {
      const region = opts.district ? dir.district(opts.district) : undefined;
      await writeOverdueBook(out, region?.name ?? '鄂州市', o, { unit: reportingUnit(dir, who, region?.code), date: ctx.today() });
      if (ctx.json) return printJson(ctx, { path: out });
      return ctx.out(out);
    }
    if (ctx.json) return printJson(ctx, o);
    ctx.out(`督办清单（${ctx.today()}）`);
    ctx.out(`一、名单空缺超过 ${VACANCY_DAYS} 天：${o.vacancies.length ? '' : '无'}`);
    if (o.vacancies.length) {
      ctx.out(await renderTable(ctx, o.vacancies, [
        { header: '区域', value: (v) => v.district },
        { header: '在库/容量', value: (v) => `${v.active}/${v.capacity}` },
        { header: '空缺', value: (v) => v.vacancies, align: 'right' },
        { header: '空缺起始', value: (v) => v.since ?? '名单尚未建立' },
        { header: '天数', value: (v) => v.days, align: 'right' },
      ]));
    }
    ctx.out(`二、超过 ${STALL_DAYS} 天没有进展的企业：${o.stalled.length ? '' : '无'}`);
    if (o.stalled.length) {
      ctx.out(await renderTable(ctx, o.stalled, [
        { header: '企业', value: (s) => s.name },
        { header: '区域', value: (s) => s.district },
        { header: '阶段', value: (s) => s.stage },
        { header: '最近办理', value: (s) => s.last_progress_on },
        { header: '天数', value: (s) => s.days, align: 'right' },
      ]));
    }
    ctx.out(`三、逾期未办结的辅导事项：${o.coaching.length ? '' : '无'}`);
    if (o.coaching.length) {
      ctx.out(await renderTable(ctx, o.coaching, [
        { header: '#', value: (c) => c.id, align: 'right' },
        { header: '企业', value: (c) => c.name },
        { header: '事项', value: (c) => c.item },
        { header: '承办单位', value: (c) => c.org },
        { header: '期限', value: (c) => c.due },
        { header: '逾期天数', value: (c) => c.days, align: 'right' },
      ]));
    }
    const missing = o.today <= o.feedback_deadline ? `报送截止日 ${o.feedback_deadline} 未过，暂不列出` : o.feedback.length ? o.feedback.map((f) => visible(f.name)).join('、') : '无';
    ctx.out(`四、${o.feedback_month} 月度反馈未报送：${missing}`);
    const late = o.feedback_late.map((f) => `${visible(f.name)}（${f.submitted_on}）`).join('、');
    ctx.out(`五、${o.feedback_month} 月度反馈逾期报送（截止 ${feedbackDeadline(o.feedback_month)}，不计入当月）：${late || '无'}`);
    ctx.out(`六、${o.feedback_month} 月度报送表逾期未交回${o.collection.length ? `（截止 ${o.collection[0]!.deadline}）：${o.collection.map((c) => visible(c.unit)).join('、')}` : '：无'}`);
  },
});
