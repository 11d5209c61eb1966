/**
 * Builds the commander program, runs it, and maps errors to exit codes and messages (SPEC §5) in one place.
 * Command modules are imported lazily so `xypz --help` loads nothing heavy.
 */
import { Command, CommanderError, Help, Option } from 'commander';
import { userInfo } from 'node:os';
import { createContext, type Context, type GlobalOptions, type Io } from './context.js';
import { UsageError, XypzError } from './errors.js';
import { registerCommands } from './commands/index.js';
import { displayWidth } from './util/text.js';

export { displayWidth };

export const VERSION = '0.1.0';

/** A command module: the action receives the context, the positional arguments and the options. */
export type CommandModule = {
  // Each module declares the shape of its own options; commander builds them from the definitions.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  run(ctx: Context, args: unknown[], opts: any): Promise<void>;
};
export type Loader = () => Promise<CommandModule>;
export type Act = (loader: Loader) => (...args: unknown[]) => Promise<void>;

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
      commandUsage: (c) => baseHelp.commandUsage(c).replace('[options]', '[选项]').replace('[command]', '<命令>'),
      subcommandTerm: (c) => baseHelp.subcommandTerm(c).replace('[options]', '[选项]'),
      optionDescription: (o) => o.description,
    })
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      // Errors are rendered by main() in Chinese; commander's own English line is dropped.
      outputError: () => {},
    })
    .exitOverride()
    .showSuggestionAfterError(true)
    .helpOption('-h, --help', '显示帮助');
}

const GLOBAL_KEYS = ['db', 'json', 'actor', 'yes', 'color'] as const;
const GLOBAL_GROUP = '全局选项：';

/** The global options, defined on the program and again on every leaf command so they work anywhere. */
function globalOptions(): Option[] {
  const group = (o: Option) => o.helpGroup(GLOBAL_GROUP);
  return [
    group(new Option('--db <文件>', 'SQLite 数据库文件（默认：环境变量 XYPZ_DB，否则 ./xypz.db）')),
    group(new Option('--json', '以 JSON 输出（机器可读）')),
    group(new Option('--actor <登录账号>', '操作人（默认：环境变量 XYPZ_ACTOR，否则系统用户名）')),
    group(new Option('--yes', '对确认提问一律回答“是”')),
    group(new Option('--no-color', '不使用颜色（也可设置环境变量 NO_COLOR）')),
  ];
}

function addGlobalsToLeaves(cmd: Command): void {
  if (stubs.has(cmd)) return;
  for (const c of cmd.commands) addGlobalsToLeaves(c);
  // Leaves, and commands that act themselves besides having subcommands (xypz verify <code>).
  const acts = (cmd as unknown as { _actionHandler: unknown })._actionHandler !== null;
  if (cmd.parent === null || (cmd.commands.length > 0 && !acts)) return;
  for (const o of globalOptions()) {
    // A leaf may define an option of the same name for its own purpose (audit log --actor filters).
    if (!cmd.options.some((x) => x.long === o.long || x.attributeName() === o.attributeName())) cmd.addOption(o);
  }
}

/** Global values: the leaf's when typed after the command, else the program's. */
function globalsOf(cmd: Command): GlobalOptions {
  const chain: Command[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) chain.unshift(c);
  const out: Record<string, unknown> = {};
  for (const key of GLOBAL_KEYS) {
    let value = chain[0]!.getOptionValue(key);
    for (const c of chain) {
      const isGlobal = c.options.some((o) => o.attributeName() === key && o.helpGroupHeading === GLOBAL_GROUP);
      if (isGlobal && c.getOptionValueSource(key) === 'cli') value = c.getOptionValue(key);
    }
    out[key] = value;
  }
  return out as GlobalOptions;
}

export function buildProgram(io: Io, holder: { ctx?: Context }, target?: string): Command {
  const program = configure(new Command('xypz'), io)
    .description('信用培植工程管理工具（鄂州）：导入报表、推进企业办理流程、生成月报季报年报')
    .version(VERSION, '-V, --version', '显示版本号')
    .helpCommand('help [命令]', '显示某个命令的帮助')
    .enablePositionalOptions();
  for (const o of globalOptions()) program.addOption(o);

  const act: Act = (loader) => async (...args) => {
    const cmd = args[args.length - 1] as Command;
    const opts = args[args.length - 2] as Record<string, unknown>;
    const positional = args.slice(0, -2);
    const path: string[] = [];
    for (let c: Command | null = cmd; c && c.parent; c = c.parent) path.unshift(c.name());
    const ctx = createContext(io, globalsOf(cmd), path.join(' '));
    holder.ctx = ctx;
    const mod = await loader();
    await mod.run(ctx, positional, opts);
  };
  registerCommands(onlyBuilding(program, target), act, (c) => configure(c, io));
  addGlobalsToLeaves(program);
  return program;
}

const stubs = new WeakSet<Command>();

/**
 * Start-up: defining every command's options costs about as much as loading commander itself. Only the
 * command being run (`target`) is defined in full; the others become stubs with their name and
 * description, which is all `xypz --help` and the "did you mean" suggestions need.
 */
function onlyBuilding(program: Command, target: string | undefined): Command {
  return new Proxy(program, {
    get(t, prop, recv) {
      if (prop !== 'command') return Reflect.get(t, prop, recv);
      return (nameAndArgs: string, ...rest: unknown[]) => {
        const name = nameAndArgs.split(' ')[0]!;
        if (name === target) return (t.command as (...a: unknown[]) => Command)(nameAndArgs, ...rest);
        const stub = t.command(name);
        stubs.add(stub);
        // Calls on the stub are ignored but for its description; its subcommands go nowhere.
        const nowhere: Command = new Proxy(stub, {
          get: (s, p) => (typeof Reflect.get(s, p) === 'function' ? () => nowhere : Reflect.get(s, p)),
        });
        const sink: Command = new Proxy(stub, {
          get(s, p) {
            if (p === 'description') return (d?: string) => (d === undefined ? s.description() : (s.description(d), sink));
            if (p === 'command') return () => nowhere;
            const v = Reflect.get(s, p);
            return typeof v === 'function' ? () => sink : v;
          },
        });
        return sink;
      };
    },
  });
}

/** The command a command line runs: its first word that is not an option (for `help X`, X). */
export function targetOf(argv: string[]): string | undefined {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--db' || a === '--actor') i += 1;
    else if (!a.startsWith('-')) words.push(a);
  }
  return words[0] === 'help' ? words[1] : words[0];
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
  if ((r = /^option '(.+?)' argument '(.+?)' is invalid\. (.*)$/s.exec(m))) return `选项 ${r[1]} 的值「${r[2]}」无效：${r[3]}`;
  if ((r = /^(.+) cannot be used with (.+)$/.exec(m))) return `${r[1]} 不能与 ${r[2]} 同时使用`;
  return m;
}

function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: process.stdin.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
    osUser: () => {
      try {
        return userInfo().username;
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
    const program = buildProgram(io, holder, targetOf(argv));
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    code = report(e, io, wantsJson, debug);
  } finally {
    try {
      await holder.ctx?.close();
    } catch (e) {
      if (code === 0) code = report(e, io, wantsJson, debug);
    }
  }
  return code;
}

function report(e: unknown, io: Io, json: boolean, debug: boolean): number {
  let err: XypzError;
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') {
      return e.code === 'commander.help' && e.exitCode !== 0 ? 2 : 0;
    }
    err = new UsageError(translateCommanderError(e));
  } else if (e instanceof XypzError) {
    err = e;
  } else {
    const ex = e as Error & { code?: string };
    if (ex?.code === 'SQLITE_BUSY' || ex?.code === 'SQLITE_LOCKED') {
      err = new XypzError('数据库正被其他进程长时间占用，请稍后重试');
    } else if (ex?.code === 'ENOSPC') {
      err = new XypzError('磁盘空间不足，操作已撤销');
    } else {
      err = new XypzError(`意外错误：${ex?.message ?? String(e)}（设置 XYPZ_DEBUG=1 可查看详细信息）`);
    }
    if (debug) io.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  }
  if (debug && err.stack && !(e instanceof CommanderError)) io.stderr.write(`${err.stack}\n`);
  if (json) {
    io.stderr.write(`${JSON.stringify({ error: { code: err.code, message: err.message, details: err.details } })}\n`);
  } else {
    io.stderr.write(`错误：${err.message}\n`);
    for (const line of err.lines) io.stderr.write(`  ${line}\n`);
  }
  return err.exitCode;
}
