/** xypz verify <code> --class …: the joint verification (核查) and its classification. */
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { actorFor } from '../../domain/actor.js';
import { verify } from '../../domain/cases.js';
import { CLASS_LABEL, parseClass } from '../../domain/stages.js';
import { dateOption } from '../../util/dates.js';
import { need } from '../../render/prompt.js';
import { printJson } from '../../render/output.js';

interface Opts {
  class?: string;
  basic?: string;
  causes?: string;
  advice?: string;
  experts?: string;
  date?: string;
}

export async function run(ctx: Context, args: unknown[], opts: Opts): Promise<void> {
  const code = args[0] as string | undefined;
  if (!code) throw new UsageError('缺少参数 <统一社会信用代码>。用法：xypz verify <代码> --class financing|cultivation …，或 xypz verify reject|report');
  const date = dateOption(opts.date, ctx.today(), '--date');
  const store = await ctx.store();
  const who = await actorFor(ctx, store);
  const inq = () => import('@inquirer/prompts');
  const clsText = await need(ctx, opts.class, '--class', async () =>
    (await inq()).select({ message: '分类', choices: [{ name: '融资类（符合融资条件类）', value: 'financing' }, { name: '培植类（信用培植类）', value: 'cultivation' }] }),
  );
  const cls = parseClass(clsText);
  if (!cls) throw new UsageError(`--class 的值「${clsText}」无效：financing（融资类）或 cultivation（培植类）`);
  const ask = (message: string) => async () => (await inq()).input({ message, required: true });
  const basic = await need(ctx, opts.basic, '--basic', ask('基本情况'));
  const causes = await need(ctx, opts.causes, '--causes', ask('原因分析'));
  const advice = await need(ctx, opts.advice, '--advice', ask('对策建议'));
  const experts = await need(ctx, opts.experts, '--experts', ask('核查人员（如 张三（工行）,李四（农商行））'));
  const c = await verify(store, who, { code, class: cls, basic, causes, advice, experts, date });
  if (ctx.json) return printJson(ctx, { code: c.enterprise_code, name: c.name, stage: 'verified', class: cls, verified_on: date });
  ctx.out(`已核查 ${c.name}：${CLASS_LABEL[cls]}（${date}）。下一步：联合协商会议确认入库（xypz pool confirm）`);
}
