/**
 * How a command declares itself: its name, summary, arguments and options, next to its `run`, in one file.
 * The options object is typed from the declaration, so `run` receives exactly what was declared.
 *
 * Required values are checked here, not by commander: on a terminal a missing value is asked for (with the
 * option's own prompt, or a plain input / a choice list), without one every missing value is listed at once
 * (exit 2). Shared groups (`importOptions()`, `dateOpt()`, `districtOpt()`) are declared once below.
 */
import type { Context } from '../context.js';
import { checkUscc } from '../domain/core/index.js';
import { UsageError } from '../errors.js';
import { askInput, askSelect, type Choice } from '../render/prompt.js';
import { dateOption, parsePeriod, previousPeriod } from '../util/dates.js';
import { quote } from '../util/text.js';

/** Asks for one value on a terminal. `answers` holds the values known so far (given or already asked). */
export type Asker = (ctx: Context, answers: Record<string, unknown>) => Promise<string>;

interface OptionSpec {
  flags: string;
  description: string;
  kind: 'value' | 'flag' | 'list';
  required: boolean;
  choices?: readonly string[];
  /** Turns the typed text into the value; throws a XypzError naming the flag when it is wrong. */
  parser?: (raw: string) => unknown;
  /** A default computed when the command runs (today, for dates). */
  fallback?: (ctx: Context) => unknown;
  constant?: unknown;
  ask?: Asker;
  /** What the prompt says (defaults to the description). */
  label?: string;
  hidden: boolean;
}

/** One option. `T` is the type `run` receives. */
export class Opt<T> {
  declare readonly __type: T;
  constructor(readonly spec: OptionSpec) {}

  private with<U>(patch: Partial<OptionSpec>): Opt<U> {
    return new Opt<U>({ ...this.spec, ...patch });
  }

  /** Must be given: asked for on a terminal, else listed as missing (exit 2). */
  required(): Opt<Exclude<T, undefined>> {
    return this.with({ required: true });
  }

  /** The closed set of values commander accepts (help lists them). */
  choices<C extends string>(values: readonly C[]): Opt<C | Extract<T, undefined>> {
    return this.with({ choices: values });
  }

  /** Converts and checks the text typed; throw a XypzError (with the flag named) to refuse it. */
  parse<U>(fn: (raw: string) => U): Opt<U | Extract<T, undefined>> {
    const prev = this.spec.parser;
    return this.with({ parser: prev ? (raw: string) => fn(prev(raw) as string) : fn });
  }

  /** A default: a value, or a function of the context (e.g. today). */
  default(value: Exclude<T, undefined> | ((ctx: Context) => Exclude<T, undefined>)): Opt<Exclude<T, undefined>> {
    return typeof value === 'function'
      ? this.with({ fallback: value as (ctx: Context) => unknown })
      : this.with({ constant: value });
  }

  /** How to ask for the value on a terminal when it is missing. */
  ask(fn: Asker): Opt<T> {
    return this.with({ ask: fn });
  }

  /** The prompt's wording (when it differs from the description). */
  label(text: string): Opt<T> {
    return this.with({ label: text });
  }

  hidden(): Opt<T> {
    return this.with({ hidden: true });
  }

  /** `--over-quota <理由>` → "--over-quota". */
  get long(): string {
    return /--[\w-]+/.exec(this.spec.flags)![0];
  }
}

/** An option taking a value: `--amount <万元>`. */
export function text(flags: string, description: string): Opt<string | undefined> {
  return new Opt({ flags, description, kind: 'value', required: false, hidden: false });
}

/** An on/off switch: `--dry-run`. */
export function flag(flags: string, description: string): Opt<boolean> {
  return new Opt({ flags, description, kind: 'flag', required: false, hidden: false, constant: false });
}

/** An option taking several values: `--alias <别名...>`. */
export function list(flags: string, description: string): Opt<string[] | undefined> {
  return new Opt({ flags, description, kind: 'list', required: false, hidden: false });
}

/** A positional argument: `<统一社会信用代码>`, `[统一社会信用代码]`, `<文件...>`. */
export class Arg<T> {
  declare readonly __type: T;
  constructor(
    readonly name: string,
    readonly description: string,
    readonly required: boolean,
    readonly variadic: boolean,
    readonly askFn?: Asker,
    /** Checks a value typed at the prompt (throws a XypzError with the reason, and the prompt asks again). */
    readonly check?: (raw: string) => unknown,
  ) {}

  ask(fn: Asker): Arg<T> {
    return new Arg<T>(this.name, this.description, this.required, this.variadic, fn, this.check);
  }

  /** How an answer typed at the prompt is checked before it is accepted. */
  validate(fn: (raw: string) => unknown): Arg<T> {
    return new Arg<T>(this.name, this.description, this.required, this.variadic, this.askFn, fn);
  }

  get usage(): string {
    const inner = `${this.name}${this.variadic ? '...' : ''}`;
    return this.required ? `<${inner}>` : `[${inner}]`;
  }
}

export function arg(name: string, description = ''): Arg<string> {
  return new Arg<string>(name, description, true, false);
}

/** An enterprise's 统一社会信用代码; at the prompt, a malformed code is refused with the reason (a wrong
 * check character is left to the command, which may accept it). */
export function codeArg(): Arg<string> {
  return arg('统一社会信用代码').validate((raw) => {
    const c = checkUscc(raw);
    if (!c.ok && !c.badCheck) throw new UsageError(c.reason);
  });
}

export function optionalArg(name: string, description = ''): Arg<string | undefined> {
  return new Arg<string | undefined>(name, description, false, false);
}

export function args(name: string, description = ''): Arg<string[]> {
  return new Arg<string[]>(name, description, true, true);
}

export type OptionsShape = Record<string, Opt<unknown>>;
export type ArgsShape = Record<string, Arg<unknown>>;
export type OptionsOf<O extends OptionsShape> = { [K in keyof O]: O[K]['__type'] };
export type ArgsOf<A extends ArgsShape> = { [K in keyof A]: A[K]['__type'] };

/**
 * A command's declaration. Its name and one-line summary live in the registry (`index.ts`), which is all
 * `xypz --help` needs; everything else is here.
 */
export interface CommandDef<A extends ArgsShape = ArgsShape, O extends OptionsShape = OptionsShape> {
  /** Longer text for the command's own help; defaults to the registry's summary. */
  description?: string;
  args?: A;
  options?: O;
  /** Extra lines after the options in `--help` (examples). */
  examples?: string[];
  run(ctx: Context, args: ArgsOf<A>, opts: OptionsOf<O>): Promise<void>;
}

export function defineCommand<A extends ArgsShape = Record<never, never>, O extends OptionsShape = Record<never, never>>(def: CommandDef<A, O>): CommandDef<A, O> {
  return def;
}

// ---- shared option groups ------------------------------------------------------------------------

/** A date option, checked, defaulting to today. */
export function dateOpt(flags = '--date <日期>', description = '日期（默认今天）'): Opt<string> {
  return text(flags, description).parse((raw) => dateOption(raw, longOf(flags))).default((ctx) => ctx.today());
}

/** A date option with no default. */
export function optionalDateOpt(flags: string, description: string): Opt<string | undefined> {
  return text(flags, description).parse((raw) => dateOption(raw, longOf(flags)));
}

/** A month (2024-03, 2024/03, 2024年3月, 202403) as YYYY-MM, defaulting to last month. */
export function monthOpt(description = '月份（默认上月）'): Opt<string> {
  return text('--month <YYYY-MM>', description)
    .parse((raw) => parsePeriod(raw, 'month', '--month').label)
    .default((ctx) => previousPeriod(ctx.today(), 'month').label);
}

export function districtOpt(description = '区域（代码、全称或别名，如 华容区）'): Opt<string | undefined> {
  return text('--district <区域>', description);
}

/**
 * `--correction <理由>`: the 人民银行 enters a record dated in a month already final (its figures published) as
 * a correction, with its reason; shown in the revised figures (report … --revised). Refused to other units.
 */
export function correctionOpt(description = '人民银行补录已结报月份的记录：更正理由（记入修订说明；其他单位不能使用）'): Opt<string | undefined> {
  return text('--correction <理由>', description);
}

/** The three options every import has. */
export function importOptions() {
  return {
    dryRun: flag('--dry-run', '只检查，不写入'),
    partial: flag('--partial', '只导入有效行，其余报告'),
    errors: text('--errors <文件.xlsx>', '输出标注了错误的副本'),
  };
}

/** A positive whole number. */
export function positiveInt(flagName: string) {
  return (raw: string): number => {
    const n = Number(raw.trim());
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flagName} 应为正整数，收到${quote(raw)}`);
    return n;
  };
}

function longOf(flags: string): string {
  return /--[\w-]+/.exec(flags)?.[0] ?? flags;
}

// ---- resolving what was typed --------------------------------------------------------------------

/** What commander parsed: positional values in declaration order, option values by key. */
export interface Parsed {
  args: unknown[];
  opts: Record<string, unknown>;
}

function isMissing(v: unknown): boolean {
  return v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

function describeMissing(o: Opt<unknown>): string {
  const c = o.spec.choices;
  return c ? `${o.long}（${c.join(' / ')}）` : o.long;
}

/**
 * Applies defaults, then fills what is missing: asks on a terminal, else one usage error listing every
 * missing argument and option.
 */
export async function resolveInput(ctx: Context, def: CommandDef, parsed: Parsed): Promise<{ args: Record<string, unknown>; opts: Record<string, unknown> }> {
  const argDefs = Object.entries(def.args ?? {});
  const optDefs = Object.entries(def.options ?? {});
  const args: Record<string, unknown> = {};
  argDefs.forEach(([key, a], i) => (args[key] = a.variadic ? (parsed.args[i] ?? []) : parsed.args[i]));
  const opts: Record<string, unknown> = {};
  for (const [key, o] of optDefs) {
    let v = parsed.opts[key];
    if (v === undefined && o.spec.fallback) v = o.spec.fallback(ctx);
    if (v === undefined && o.spec.constant !== undefined) v = o.spec.constant;
    opts[key] = v;
  }
  const missingArgs = argDefs.filter(([key, a]) => a.required && isMissing(args[key]));
  const missingOpts = optDefs.filter(([key, o]) => o.spec.required && isMissing(opts[key]));
  if (missingArgs.length === 0 && missingOpts.length === 0) return { args, opts };
  if (!ctx.canPrompt) {
    const names = [...missingArgs.map(([, a]) => a.usage), ...missingOpts.map(([, o]) => describeMissing(o))];
    throw new UsageError(`缺少${names.length > 1 ? ` ${names.length} 项` : ''}必填项：${names.join('、')}。在终端中运行可逐项填写，或加 --help 查看用法`);
  }
  const answers = { ...args, ...opts };
  for (const [key, a] of missingArgs) {
    const raw = await (a.askFn ?? argAsker(a))(ctx, answers);
    args[key] = a.variadic ? raw.split(/[\s,，、]+/).filter(Boolean) : raw;
    answers[key] = args[key];
  }
  for (const [key, o] of missingOpts) {
    const raw = await (o.spec.ask ?? defaultAsker(o))(ctx, answers);
    opts[key] = o.spec.parser ? o.spec.parser(raw) : raw;
    answers[key] = opts[key];
  }
  return { args, opts };
}

/** A free-text prompt that must not be empty; `check` refuses a bad answer with its reason and asks again. */
export function askText(message: string, check?: (raw: string) => unknown): Asker {
  return (ctx) => askInput(ctx, message, { check });
}

/** A choice list prompt. */
export function askChoice(message: string, choices: readonly Choice<string>[]): Asker {
  return (ctx) => askSelect(ctx, message, choices);
}

function defaultAsker(o: Opt<unknown>): Asker {
  const message = o.spec.label ?? o.spec.description;
  if (o.spec.choices) return askChoice(message, o.spec.choices.map((c) => ({ name: c, value: c })));
  return askText(message, o.spec.parser);
}

function argAsker(a: Arg<unknown>): Asker {
  const message = `${a.description || a.name}${a.variadic ? '（可填多个，用空格分隔）' : ''}`;
  return askText(message, a.check);
}
