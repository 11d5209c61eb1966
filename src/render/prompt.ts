/**
 * Every prompt goes through here (inquirer, loaded lazily), so a stopped prompt is handled in one place:
 * Ctrl-C or Esc ends the command with 已取消 (exit 130), the half-drawn prompt is erased and the cursor
 * shown again. Prompts need stdin and stdout to be terminals; without them a usage error names what is
 * missing (exit 2). Confirmations accept --yes; answering 否 is a cancellation too.
 */
import type { Context } from '../context.js';
import { CancelledError, RuleError, UsageError, XypzError } from '../errors.js';

/** The errors inquirer rejects with when a prompt is stopped. Its packages do not export the classes,
 * so they are recognised by the class name each one sets. */
const STOPPED = new Set(['ExitPromptError', 'AbortPromptError', 'CancelPromptError']);

function isPromptStopped(e: unknown): boolean {
  return e instanceof Error && STOPPED.has(e.name);
}

type Inquirer = typeof import('@inquirer/prompts');

/** Any prompt function of inquirer: (config, context) → a promise with the answer. */
type PromptFn<C, V> = (config: C, context?: { signal?: AbortSignal; clearPromptOnDone?: boolean; output?: NodeJS.WritableStream }) => Promise<V>;

const same = (t: string) => t;
const KEY_WORDS: Record<string, string> = { navigate: '移动', select: '选择', submit: '确定', all: '全选', invert: '反选' };
const keysHelpTip = (keys: [string, string][]) => keys.map(([k, action]) => `${k === 'space' ? '空格' : k} ${KEY_WORDS[action] ?? action}`).join(' • ');

/**
 * inquirer's words in Chinese; without colour (NO_COLOR, --no-color) the same marks and no escape codes.
 * Each prompt reads the parts of the theme it knows (typed as `object`: the prompts' theme types differ).
 */
function theme(ctx: Context): object {
  const words = {
    keywords: { yes: '是', no: '否', error: ({ yes, no }: { yes: string; no: string }) => `请回答“${yes}”或“${no}”（也可按 y / n）` },
    style: { keysHelpTip },
  };
  if (ctx.color) return { theme: words };
  return {
    theme: {
      ...words,
      prefix: { idle: '?', done: '✔' },
      style: { ...words.style, answer: same, message: same, error: (t: string) => `> ${t}`, defaultAnswer: (t: string) => `(${t})`, help: same, highlight: same, key: (t: string) => `<${t}>`, description: same, disabled: same },
    },
  };
}

/** A line about the questions and answers: on stdout, or on stderr with --json. */
export function said(ctx: Context, line: string): void {
  (ctx.json ? ctx.err : ctx.out)(line);
}

/**
 * Runs one prompt. Esc aborts it (inquirer itself only knows Ctrl-C); either way the prompt is erased and
 * CancelledError thrown. On success one line `✔ question：answer` replaces the prompt, so a finished menu
 * does not stay on the screen.
 */
async function run<C, V>(ctx: Context, pick: (q: Inquirer) => PromptFn<C, V>, config: C, shown: (v: V) => string, message: string): Promise<V> {
  if (!ctx.canPrompt) throw new UsageError(`缺少${message}：请在终端中运行，或在命令行给出`);
  const q = await import('@inquirer/prompts');
  const abort = new AbortController();
  const onKey = (_: unknown, key?: { name?: string; ctrl?: boolean }) => {
    if (key?.name === 'escape') abort.abort();
  };
  // With --json, stdout carries one JSON document: the prompts then draw on stderr.
  const prompt = pick(q)(config, { signal: abort.signal, clearPromptOnDone: true, ...(ctx.json ? { output: process.stderr } : {}) });
  process.stdin.on('keypress', onKey);
  try {
    const value = await prompt;
    said(ctx, `✔ ${message}：${shown(value)}`);
    return value;
  } catch (e) {
    if (isPromptStopped(e)) throw new CancelledError();
    throw e;
  } finally {
    process.stdin.off('keypress', onKey);
  }
}

/**
 * Turns a check that throws a XypzError into inquirer's validate (true, or the reason shown under the answer).
 * The check may be async (one that looks in the database).
 */
export function validator(check?: (raw: string) => unknown, required = false): (raw: string) => Promise<true | string> {
  return async (raw) => {
    if (required && raw.trim() === '') return '必填，不能为空';
    if (!check) return true;
    try {
      await check(raw);
      return true;
    } catch (e) {
      if (e instanceof XypzError) return e.message;
      throw e;
    }
  };
}

/** Free text; `check` refuses a bad answer with its reason and asks again. */
export function askInput(ctx: Context, message: string, opts: { required?: boolean; check?: (raw: string) => unknown } = {}): Promise<string> {
  return run(ctx, (q) => q.input, { message, validate: validator(opts.check, opts.required ?? true), ...theme(ctx) }, (v) => v || '（未填）', message);
}

export interface Choice<V> {
  name: string;
  value: V;
}

/** One of a list. A list of one is answered without asking; an empty list means the actor has no choice. */
export async function askSelect<V>(ctx: Context, message: string, choices: readonly Choice<V>[]): Promise<V> {
  if (choices.length === 0) throw new RuleError(`没有可选的${message}：当前操作人无权办理`, [], [], 'forbidden');
  if (choices.length === 1 && ctx.canPrompt) {
    said(ctx, `✔ ${message}：${choices[0]!.name}（唯一可选）`);
    return choices[0]!.value;
  }
  return run(ctx, (q) => q.select<V>, { message, choices: [...choices], pageSize: 12, ...theme(ctx) }, (v) => choices.find((c) => c.value === v)?.name ?? String(v), message);
}

/** Several choices; `check` may refuse the set picked. */
export function askCheckbox<V>(ctx: Context, message: string, choices: readonly Choice<V>[], check?: (picked: readonly V[]) => true | string): Promise<V[]> {
  const validate = (picked: readonly { value: V }[]) => (check ? check(picked.map((p) => p.value)) : true);
  return run(ctx, (q) => q.checkbox<V>, { message, choices: [...choices], validate, pageSize: 12, ...theme(ctx) }, (v) => (v.length ? choices.filter((c) => v.includes(c.value)).map((c) => c.name).join('、') : '（未选）'), message);
}

/** A yes/no confirmation: --yes answers it; 否, Ctrl-C or Esc cancel the command (exit 130). */
export async function confirm(ctx: Context, question: string): Promise<void> {
  if (ctx.yes) return;
  if (!ctx.canPrompt) throw new UsageError(`${question}——需要确认：请在终端中运行并回答，或加 --yes`);
  const ok = await run(ctx, (q) => q.confirm, { message: question, default: false, ...theme(ctx) }, (v) => (v ? '是' : '否'), question);
  if (!ok) throw new CancelledError('已取消，未做任何改动');
}
