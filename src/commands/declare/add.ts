/** xypz declare add <code>: enter a declaration by answering the questionnaire on a terminal. */
import type { Context } from '../../context.js';
import { DataError, UsageError } from '../../errors.js';
import { actorFor, authorize } from '../../domain/actor.js';
import { caseTarget, loadCase } from '../../domain/cases.js';
import { addDeclaration, QUESTIONS, readAnswers } from '../../domain/declarations.js';
import { Directory } from '../../domain/directory.js';
import { requireStage } from '../../domain/stages.js';
import { normaliseCell } from '../../import/cell.js';
import { printJson } from '../../render/output.js';
import { dateOption } from '../../util/dates.js';

export async function run(ctx: Context, args: unknown[], opts: { date?: string }): Promise<void> {
  const store = await ctx.store();
  const dir = await Directory.load(store.db);
  const who = await actorFor(ctx, store, undefined, {}, dir);
  const c = await loadCase(store.db, args[0] as string);
  authorize(who, 'case.declare', caseTarget(dir, c));
  requireStage(c, ['recommended', 'declared'], '录入申报');
  if (!ctx.canPrompt) throw new UsageError('declare add 需要在终端中逐题填写；批量录入请用 xypz declare import');
  const { input, select, checkbox } = await import('@inquirer/prompts');
  const answers: Record<string, string> = { code: c.enterprise_code, name: c.name, region: dir.regionName(c.region_code) };
  for (const q of QUESTIONS) {
    if (q.key in answers) continue;
    if (q.kind === 'multi') answers[q.key] = (await checkbox({ message: q.title, choices: q.options!.map((o) => ({ name: o, value: o })) })).join('┋');
    else if (q.options) answers[q.key] = await select({ message: q.title, choices: q.options.map((o) => ({ name: o, value: o })) });
    else answers[q.key] = await input({ message: q.title, required: q.required });
  }
  const problems: string[] = [];
  const data = readAnswers(
    {
      text: (k) => normaliseCell(answers[k] ?? '').text,
      cell: (k) => normaliseCell(answers[k] ?? ''),
      fail: (k, reason) => problems.push(`${QUESTIONS.find((q) => q.key === k)?.title ?? k}：${reason}`),
    },
    dir,
  );
  if (problems.length > 0) throw new DataError(`${problems.length} 处问题，未保存`, problems.map((m) => ({ message: m })), problems);
  const date = dateOption(opts.date, ctx.today(), '--date');
  const result = await addDeclaration(store, who, c, data, date);
  if (ctx.json) return printJson(ctx, { code: c.enterprise_code, result });
  ctx.out(`已保存 ${c.name} 的申报（${date}）。下一步：联合核查（xypz verify）`);
}
