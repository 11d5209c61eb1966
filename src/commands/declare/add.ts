/**
 * xypz declare add <code>: enter a declaration by answering the questionnaire on a terminal. Each answer is
 * checked as it is typed, by the same rules as the import, and asked again with the reason; nothing is
 * saved until the last answer (Ctrl-C or Esc leaves the database as it was).
 */
import { addDeclaration, answerProblem, caseToDeclare, QUESTIONS, readAnswers, type Question } from '../../domain/intake/index.js';
import type { Directory } from '../../domain/core/index.js';
import { DataError, UsageError } from '../../errors.js';
import { normaliseCell } from '../../import/cell.js';
import { printJson } from '../../render/output.js';
import { askCheckbox, askInput, askSelect, said } from '../../render/prompt.js';
import type { Context } from '../../context.js';
import { codeArg, correctionOpt, dateOpt, defineCommand } from '../define.js';
import { session } from '../session.js';
import { visible } from '../../util/text.js';

/** Asks one question until its answer passes; multiple choices are joined as the survey platform joins them. */
async function ask(ctx: Context, dir: Directory, q: Question): Promise<string> {
  const choices = (q.options ?? []).map((o) => ({ name: o, value: o }));
  if (q.kind === 'multi') return (await askCheckbox(ctx, q.title, choices)).join('┋');
  if (q.options) return askSelect(ctx, q.title, choices);
  return askInput(ctx, q.title, {
    required: q.required === true,
    check: (raw) => {
      const problem = raw.trim() === '' && !q.required ? undefined : answerProblem(dir, q.key, normaliseCell(raw));
      if (problem) throw new DataError(problem);
    },
  });
}

export const command = defineCommand({
  args: { code: codeArg() },
  options: { date: dateOpt('--date <日期>', '申报日期（默认今天）'), correction: correctionOpt() },
  async run(ctx, { code }, opts) {
    const { store, dir, who } = await session(ctx);
    const c = await caseToDeclare(store.db, dir, who, code, { date: opts.date, correction: opts.correction });
    if (!ctx.canPrompt) throw new UsageError('declare add 需要在终端中逐题填写；批量录入请用 xypz declare import');
    const answers: Record<string, string> = { code: c.enterprise_code, name: c.name, region: dir.regionName(c.region_code) };
    said(ctx, `${c.name}（${c.enterprise_code}，${answers.region}）的申报：共 ${QUESTIONS.length - 3} 题，Ctrl-C 或 Esc 取消（不保存）`);
    for (const q of QUESTIONS) if (!(q.key in answers)) answers[q.key] = await ask(ctx, dir, q);
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
    const result = await addDeclaration(store, who, c, data, opts.date, opts.correction);
    if (ctx.json) return printJson(ctx, { code: c.enterprise_code, result });
    ctx.out(`已保存 ${visible(c.name)} 的申报（${opts.date}）。下一步：联合核查（xypz verify）`);
  },
});
