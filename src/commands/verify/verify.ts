/** xypz verify <code> --class …: the joint verification (核查) and its classification. */
import { verify } from '../../domain/intake/index.js';
import { CLASS_LABEL, parseClass } from '../../domain/core/index.js';
import { UsageError } from '../../errors.js';
import { printJson } from '../../render/output.js';
import { askChoice, codeArg, correctionOpt, dateOpt, defineCommand, text } from '../define.js';
import { session } from '../session.js';
import { visible } from '../../util/text.js';

export const command = defineCommand({
  description: '联合核查：记录核查结论和核查报告的内容',
  args: { code: codeArg() },
  options: {
    class: text('--class <分类>', 'financing（融资类）或 cultivation（培植类）')
      .parse((raw) => {
        const c = parseClass(raw);
        if (!c) throw new UsageError(`--class 的值「${raw}」无效：financing（融资类）或 cultivation（培植类）`);
        return c;
      })
      .required()
      .ask(askChoice('分类', [{ name: '融资类（符合融资条件类）', value: 'financing' }, { name: '培植类（信用培植类）', value: 'cultivation' }])),
    basic: text('--basic <文字>', '基本情况').required(),
    causes: text('--causes <文字>', '原因分析').required(),
    advice: text('--advice <文字>', '对策建议').required(),
    experts: text('--experts <名单>', '核查人员，如 "张三（工行）,李四（农商行）"').required().label('核查人员（如 张三（工行）,李四（农商行））'),
    date: dateOpt('--date <日期>', '核查日期（默认今天）'),
    correction: correctionOpt(),
  },
  async run(ctx, { code }, opts) {
    const { store, who } = await session(ctx);
    const c = await verify(store, who, { code, ...opts });
    if (ctx.json) return printJson(ctx, { code: c.enterprise_code, name: c.name, stage: 'verified', class: opts.class, verified_on: opts.date });
    ctx.out(`已核查 ${visible(c.name)}：${CLASS_LABEL[opts.class]}（${opts.date}）。下一步：联合协商会议确认入库（xypz pool confirm）`);
  },
});
