/** xypz declare add <code>: enter a declaration by answering the questionnaire on a terminal. */
import { addDeclaration, caseToDeclare, QUESTIONS, readAnswers } from '../../domain/declarations.js';
import { DataError, UsageError } from '../../errors.js';
import { normaliseCell } from '../../import/cell.js';
import { printJson } from '../../render/output.js';
import { arg, dateOpt, defineCommand } from '../define.js';
import { session } from '../session.js';
import { visible } from '../../util/text.js';

export const command = defineCommand({
  args: { code: arg('统一社会信用代码') },
  options: { date: dateOpt('--date <日期>', '申报日期（默认今天）') },
  async run(ctx, { code }, opts) {
    const { store, dir, who } = await session(ctx);
    const c = await caseToDeclare(store.db, dir, who, code);
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
    const result = await addDeclaration(store, who, c, data, opts.date);
    if (ctx.json) return printJson(ctx, { code: c.enterprise_code, result });
    ctx.out(`已保存 ${visible(c.name)} 的申报（${opts.date}）。下一步：联合核查（xypz verify）`);
  },
});
