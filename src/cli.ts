/**
 * Builds the commander program from the command tree, runs it, and maps errors to exit codes and messages
 * in one place (docs/cli.md). A command's module is imported only when that command runs.
 */
import { Argument, Command, CommanderError, Help, Option } from 'commander';
import { createContext, type Context, type GlobalOptions, type Io } from './context.js';
import { CancelledError, describeSystemError, UsageError, XypzError } from './errors.js';
import type { CommandDef } from './commands/define.js';
import { GLOBAL_OPTIONS, GLOBAL_VALUE_FLAGS } from './commands/globals.js';
import { COMMANDS, type Entry } from './commands/index.js';
import { painter, stderrColour } from './render/color.js';
import { displayWidth, terminalText } from './util/text.js';
import { wrapText } from './util/wrap.js';
import { useSqliteBinding } from './store/sqlite-binding.js';
import pkg from '../package.json' with { type: 'json' };

// Installed from the tarball, SQLite's compiled binding is the copy the build put in dist/native/ (see store/sqlite-binding.ts).
useSqliteBinding(new URL('./native/better_sqlite3.node', import.meta.url));

export { displayWidth };

export const VERSION: string = pkg.version;

const TITLES: Record<string, string> = {
  'Usage:': '用法：',
  'Arguments:': '参数：',
  'Options:': '选项：',
  'Global Options:': '全局选项：',
  'Commands:': '命令：',
};

const baseHelp = new Help();

function configure(cmd: Command, io: Io): Command {
  return cmd
    .configureHelp({
      styleTitle: (t) => TITLES[t] ?? t,
      displayWidth,
      // Chinese descriptions wrap between characters, never inside a number and its unit (约 90 家).
      boxWrap: (str, width) => wrapText(str, width).join('\n'),
      minWidthToWrap: 20,
      commandUsage: (c) => baseHelp.commandUsage(c).replace('[options]', '[选项]').replace('[command]', '<命令>'),
      subcommandTerm: (c) => baseHelp.subcommandTerm(c).replace('[options]', '[选项]'),
      optionDescription: (o) => {
        const choices = o.argChoices?.filter((c) => !o.description.includes(c));
        return choices?.length ? `${o.description}（可选：${o.argChoices!.join('、')}）` : o.description;
      },
    })
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      // The terminal's width on a terminal; otherwise a fixed 80, so piped help is the same everywhere.
      getOutHelpWidth: () => (io.stdout.isTTY ? (io.stdout.columns ?? 80) : 80),
      getErrHelpWidth: () => (io.stderr.isTTY ? (io.stderr.columns ?? 80) : 80),
      getOutHasColors: () => false,
      getErrHasColors: () => false,
      // Errors are rendered by main() in Chinese; commander's own English line is dropped.
      outputError: () => {},
    })
    .exitOverride()
    .showSuggestionAfterError(true)
    .helpOption('-h, --help', '显示帮助');
}

const GLOBAL_KEYS = GLOBAL_OPTIONS.map((o) => new Option(o.flags).attributeName());
const GLOBAL_GROUP = '全局选项：';
const globalOptionSet = new WeakSet<Option>();

/** The global options, defined on the program and again on every command that acts, so they work anywhere. */
function globalOptions(): Option[] {
  const group = (o: Option) => {
    globalOptionSet.add(o);
    return o.helpGroup(GLOBAL_GROUP);
  };
  return GLOBAL_OPTIONS.map((o) => group(new Option(o.flags, o.description)));
}

/** Global values: the acting command's when typed after it, else the program's. */
function globalsOf(cmd: Command): GlobalOptions {
  const chain: Command[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) chain.unshift(c);
  const out: Record<string, unknown> = {};
  for (const key of GLOBAL_KEYS) {
    let value = chain[0]!.getOptionValue(key);
    for (const c of chain) {
      const isGlobal = c.options.some((o) => o.attributeName() === key && globalOptionSet.has(o));
      if (isGlobal && c.getOptionValueSource(key) === 'cli') value = c.getOptionValue(key);
    }
    out[key] = value;
  }
  return out as GlobalOptions;
}

function commandPath(cmd: Command): string {
  const path: string[] = [];
  for (let c: Command | null = cmd; c && c.parent; c = c.parent) path.unshift(c.name());
  return path.join(' ');
}

/** Declares a command's arguments and options on commander and wires its run. */
function attach(cmd: Command, def: CommandDef, summary: string, io: Io, holder: { ctx?: Context }): void {
  cmd.description(def.description ?? summary);
  const argDefs = Object.values(def.args ?? {});
  // Required arguments are checked by resolveInput (which can ask for them); commander sees them as optional.
  for (const a of argDefs) cmd.addArgument(new Argument(`[${a.name}${a.variadic ? '...' : ''}]`, a.description));
  const keys = new Map<string, string>();
  for (const [key, o] of Object.entries(def.options ?? {})) {
    const s = o.spec;
    const option = new Option(s.kind === 'list' ? s.flags.replace(/\.\.\.>$/, '>') : s.flags, s.description);
    if (s.kind === 'list') option.variadic = true; // commander spots `<x...>` only after an ASCII word character
    if (s.choices) option.choices(s.choices);
    if (s.parser) option.argParser((raw: string) => s.parser!(raw));
    if (s.hidden) option.hideHelp();
    cmd.addOption(option);
    keys.set(key, option.attributeName());
  }
  for (const o of globalOptions()) {
    // A command may define an option of the same name for its own purpose (audit log --actor filters).
    if (!cmd.options.some((x) => x.long === o.long || x.attributeName() === o.attributeName())) cmd.addOption(o);
  }
  const usage = ['[选项]', ...argDefs.map((a) => a.usage)].join(' ');
  cmd.usage(cmd.commands.length > 0 ? `${usage}\n       xypz ${commandPath(cmd)} <命令> [选项]` : usage);
  if (def.examples?.length) cmd.addHelpText('after', `\n示例：\n${def.examples.map((e) => `  ${e}`).join('\n')}\n`);
  cmd.action(async (...received: unknown[]) => {
    const self = received[received.length - 1] as Command;
    const values = received[received.length - 2] as Record<string, unknown>;
    const ctx = createContext(io, globalsOf(self), commandPath(self));
    holder.ctx = ctx;
    const opts: Record<string, unknown> = {};
    for (const [key, attr] of keys) opts[key] = values[attr];
    // define.ts (with the domain's checks and kysely behind them) was loaded with the command's module; `--help` never needs it.
    const { resolveInput } = await import('./commands/define.js');
    const input = await resolveInput(ctx, def, { args: received.slice(0, -2), opts });
    await def.run(ctx, input.args, input.opts);
  });
}

/**
 * Creates one level of the tree: names and summaries. Just before commander parses the words of a command,
 * its subcommands are created and its own definition is loaded, so start-up builds only what is run.
 */
function addEntries(parent: Command, entries: Entry[], io: Io, holder: { ctx?: Context }): void {
  const byName = new Map(entries.map((e) => [e.name, e]));
  for (const e of entries) {
    const cmd = configure(parent.command(e.name), io).description(e.summary);
    // commander lists a command with subcommands as `name <命令>` only if it knows it has some.
    if (e.children && !e.load) cmd.usage('<命令> [选项]');
  }
  parent.hook('preSubcommand', async (_self, sub) => {
    const e = byName.get(sub.name());
    if (!e) return;
    if (e.children) addEntries(sub, e.children, io, holder);
    if (e.load) attach(sub, await e.load(), e.summary, io, holder);
  });
}

export function buildProgram(io: Io, holder: { ctx?: Context }): Command {
  const program = configure(new Command('xypz'), io)
    .description('信用培植工程管理工具（鄂州）：导入报表、推进企业办理流程、生成月报季报年报')
    .version(VERSION, '-V, --version', '显示版本号和 SQLite 版本')
    .helpCommand('help [命令]', '显示某个命令的帮助')
    .enablePositionalOptions();
  for (const o of globalOptions()) program.addOption(o);
  addEntries(program, COMMANDS, io, holder);
  return program;
}

/**
 * `xypz help report monthly` is `xypz report monthly --help`: commander's own help command shows one level
 * only, and without loading the command's definition.
 */
export function helpAsFlag(argv: string[]): string[] {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (GLOBAL_VALUE_FLAGS.includes(a)) i += 1;
    else if (!a.startsWith('-')) return a === 'help' ? [...argv.slice(0, i), ...argv.slice(i + 1), '--help'] : argv;
  }
  return argv;
}

/** Commander's English parse errors, in Chinese. */
function translateCommanderError(e: CommanderError): string {
  const m = e.message.replace(/^error: /, '');
  const didYouMean = /\(Did you mean (?:one of )?(.+)\?\)/.exec(m)?.[1];
  const hint = didYouMean ? `。您是否想用：${didYouMean}？` : '';
  let r: RegExpExecArray | null;
  if ((r = /^unknown command '(.+?)'/.exec(m))) return `未知命令「${r[1]}」${hint || '。运行 xypz --help 查看全部命令'}`;
  if ((r = /^unknown option '(.+?)'/.exec(m))) return `未知选项「${r[1]}」${hint || '。加 --help 查看可用选项'}`;
  if ((r = /^missing required argument '(.+?)'/.exec(m))) return `缺少参数 <${r[1]}>。加 --help 查看用法`;
  if ((r = /^option '(.+?)' argument missing/.exec(m))) return `选项 ${r[1]} 缺少取值`;
  if ((r = /^required option '(.+?)' not specified/.exec(m))) return `缺少必填选项 ${r[1]}`;
  if ((r = /^too many arguments(?: for '(.+?)')?\. Expected (\d+)/.exec(m))) {
    return `${r[1] ? `命令 ${r[1]} ` : ''}参数过多（最多 ${r[2]} 个）。加 --help 查看用法`;
  }
  if ((r = /^option '(.+?)' argument '(.+?)' is invalid\. (.*)$/s.exec(m))) {
    return `选项 ${r[1]} 的值「${r[2]}」无效：${r[3]!.replace(/^Allowed choices are (.*)\.$/, '可选 $1')}`;
  }
  if ((r = /^(.+) cannot be used with (.+)$/.exec(m))) return `${r[1]} 不能与 ${r[2]} 同时使用`;
  return m;
}

/** The process's streams, environment, clock and user (bin/xypz.js runs main with these). */
export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // Asked when a command starts, not for --help: process.stdin builds a stream on first use.
    get stdinIsTTY() {
      return process.stdin.isTTY === true;
    },
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
    osUser: () => {
      try {
        // node:os is loaded only when the actor is not given (the module costs every start-up otherwise).
        return process.getBuiltinModule('node:os').userInfo().username;
      } catch {
        return process.env.USER ?? 'unknown';
      }
    },
  };
}

/** Runs the CLI and returns the exit code; never exits the process itself. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const holder: { ctx?: Context } = {};
  const wantsJson = argv.includes('--json');
  const debug = io.env.XYPZ_DEBUG === '1';
  let code = 0;
  try {
    if (argv[0] === '__complete') {
      const { complete } = await import('./complete.js');
      return await complete(argv.slice(1), io);
    }
    if (wantsVersion(argv)) {
      const { sqliteVersion } = await import('./store/version.js');
      io.stdout.write(`xypz ${VERSION}\nSQLite ${await sqliteVersion()}\n`);
      return 0;
    }
    const program = buildProgram(io, holder);
    await program.parseAsync(helpAsFlag(argv), { from: 'user' });
  } catch (e) {
    code = report(e, io, wantsJson, debug, argv, holder.ctx?.dbLabel);
  } finally {
    try {
      await holder.ctx?.close();
    } catch (e) {
      if (code === 0) code = report(e, io, wantsJson, debug, argv, holder.ctx?.dbLabel);
    }
  }
  return code;
}

/** `xypz --version` (or -V), possibly after global options: the version and the SQLite library's. */
function wantsVersion(argv: string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-V' || a === '--version') return true;
    if (GLOBAL_VALUE_FLAGS.includes(a)) i += 1;
    else if (!a.startsWith('-')) return false;
  }
  return false;
}

function report(e: unknown, io: Io, json: boolean, debug: boolean, argv: string[], dbPath?: string): number {
  let err: XypzError;
  // A prompt stopped by Ctrl-C or Esc, or a confirmation answered 否: not an error, exit 130.
  // (render/prompt.ts turns every stopped prompt into a CancelledError.)
  if (e instanceof CancelledError) {
    io.stderr.write(json ? `${JSON.stringify({ error: { code: e.code, message: e.message, details: [] } })}\n` : `${e.message}\n`);
    return e.exitCode;
  }
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') {
      return e.code === 'commander.help' && e.exitCode !== 0 ? 2 : 0;
    }
    err = new UsageError(translateCommanderError(e));
  } else if (e instanceof XypzError) {
    err = e;
  } else {
    err = describeSystemError(e, dbPath) ?? new XypzError(`意外错误：${(e as Error)?.message ?? String(e)}（设置 XYPZ_DEBUG=1 可查看详细信息）`);
    if (debug) io.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  }
  if (debug && err.stack && !(e instanceof CommanderError)) io.stderr.write(`${err.stack}\n`);
  // Messages quote what the user gave and what is stored: made safe for the terminal like every output line.
  if (json) {
    io.stderr.write(terminalText(`${JSON.stringify({ error: { code: err.code, message: err.message, details: err.details } })}\n`));
  } else {
    const red = painter(stderrColour(io, argv)).red;
    io.stderr.write(`${red(terminalText(`错误：${err.message}`))}\n`);
    for (const line of err.lines) io.stderr.write(terminalText(`  ${line}\n`));
  }
  return err.exitCode;
}
