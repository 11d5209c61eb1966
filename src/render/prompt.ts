/**
 * Prompts (inquirer, loaded lazily) only when stdin and stdout are terminals; otherwise a usage error
 * naming what is missing (exit 2). Confirmations accept --yes.
 */
import type { Context } from '../context.js';
import { CancelledError, UsageError } from '../errors.js';

export async function confirm(ctx: Context, question: string): Promise<void> {
  if (ctx.yes) return;
  if (!ctx.canPrompt) throw new UsageError(`${question}——需要确认：请在终端中运行并回答，或加 --yes`);
  const { confirm: ask } = await import('@inquirer/prompts');
  const ok = await ask({ message: question, default: false });
  if (!ok) throw new CancelledError('已取消，未做任何改动');
}

/** A required value: the flag's value, else a prompt on a TTY, else exit 2 naming the flag. */
export async function need<T>(ctx: Context, value: T | undefined, flag: string, ask: () => Promise<T>): Promise<T> {
  if (value !== undefined && value !== '') return value;
  if (!ctx.canPrompt) throw new UsageError(`缺少必填选项 ${flag}`);
  return ask();
}
