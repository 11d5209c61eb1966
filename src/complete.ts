/**
 * `xypz __complete <words…>`: the candidates for the last word, one per line, for the shell completion
 * scripts (`xypz completion bash|zsh|fish`). The words are those after `xypz`; the last is the word being
 * typed (possibly empty). Commands and subcommands come from the registry; options from the one command's
 * declaration; names (districts, banks, departments, organisations, enterprise codes) from the database,
 * read-only. It never prompts, never writes and needs no account. bin/xypz.js runs it without commander.
 */
import type { CommandDef } from './commands/define.js';
import { GLOBAL_OPTIONS, GLOBAL_VALUE_FLAGS, KEPT_CA_CERTS } from './commands/globals.js';
import { COMMANDS, type Entry } from './commands/index.js';
import type { NameKind } from './store/names.js';
import { isServerUrl } from './store/target.js';

export interface CompleteIo {
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: { write(s: string): unknown };
}

/** Options whose value is a name in the database. */
const NAMED: Record<string, NameKind> = {
  '--district': 'region',
  '--bank': 'bank',
  '--dept': 'department',
  '--org': 'org',
  '--from': 'sender',
  '--reviewed-by': 'finance-office',
  '--code': 'enterprise',
};

/** Positional arguments whose value is a name in the database. */
const NAMED_ARGS: Record<string, NameKind> = { 统一社会信用代码: 'enterprise' };

const GLOBAL_FLAGS = GLOBAL_OPTIONS.map((o) => o.flags.split(' ')[0]!);

function longFlag(flags: string): string {
  return /--[\w-]+/.exec(flags)![0];
}

/** What completion needs of a command's declaration. */
export interface Shape {
  options: { flag: string; value: boolean; choices?: string[] }[];
  args: { name: string; variadic: boolean }[];
}

function shapeOf(def: CommandDef): Shape {
  return {
    options: Object.values(def.options ?? {})
      .filter((o) => !o.spec.hidden)
      .map((o) => ({ flag: longFlag(o.spec.flags), value: o.spec.kind !== 'flag', ...(o.spec.choices ? { choices: [...o.spec.choices] } : {}) })),
    args: Object.values(def.args ?? {}).map((a) => ({ name: a.name, variadic: a.variadic })),
  };
}

/** Every command's shape by its path ("enterprise show"), loading each command's module. */
export async function commandShapes(): Promise<Record<string, Shape>> {
  const out: Record<string, Shape> = {};
  const visit = async (entries: Entry[], prefix: string) => {
    for (const e of entries) {
      const path = `${prefix}${e.name}`;
      if (e.load) out[path] = shapeOf(await e.load());
      if (e.children) await visit(e.children, `${path} `);
    }
  };
  await visit(COMMANDS, '');
  return out;
}

/**
 * The shapes, as the build wrote them beside this module (dist/commands.json): importing every command's
 * module on each Tab would take longer than the answer may. Run from the sources (tests), they are computed.
 */
async function loadShapes(): Promise<Record<string, Shape>> {
  try {
    const { readFileSync } = process.getBuiltinModule('node:fs');
    return JSON.parse(readFileSync(new URL('./commands.json', import.meta.url), 'utf8')) as Record<string, Shape>;
  } catch {
    return commandShapes();
  }
}

/**
 * The completion scripts run `xypz __complete` without NODE_EXTRA_CA_CERTS and keep its value here
 * (COMPLETE_ENV in commands/completion.ts).
 */

/** Names from a server, whose TLS may need the certificates Node was started without: the run is made again with them. */
class NeedsCertificates extends Error {}


interface Position {
  /** The deepest command reached, and its path. */
  entry?: Entry;
  path: string;
  /** The entries a next word may name. */
  choices: Entry[];
  /** Positional words given to the command so far. */
  positionals: number;
  db?: string;
}

function walk(words: string[], shapes: Record<string, Shape>): Position {
  const pos: Position = { choices: COMMANDS, positionals: 0, path: '' };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.startsWith('-')) {
      if (w === '--db') pos.db = words[i + 1];
      if (GLOBAL_VALUE_FLAGS.includes(w) || shapes[pos.path]?.options.find((o) => o.flag === w)?.value) i += 1;
      continue;
    }
    if (w === 'help' && !pos.entry) continue; // `xypz help <命令>` completes like `xypz <命令>`
    const sub = pos.choices.find((e) => e.name === w);
    if (sub) {
      pos.entry = sub;
      pos.path = pos.path ? `${pos.path} ${w}` : w;
      pos.choices = sub.children ?? [];
      pos.positionals = 0;
    } else {
      pos.choices = [];
      pos.positionals += 1;
    }
  }
  return pos;
}

async function candidates(words: string[], io: CompleteIo): Promise<string[]> {
  const current = words[words.length - 1] ?? '';
  const before = words.slice(0, -1);
  const shapes = await loadShapes();
  const pos = walk(before, shapes);
  const shape = shapes[pos.path];
  const dbPath = () => {
    const raw = pos.db ?? (io.env.XYPZ_DB || 'xypz.db');
    return raw.startsWith('/') || isServerUrl(raw) ? raw : `${io.cwd.replace(/\/$/, '')}/${raw}`;
  };
  const names = async (kind: NameKind) => {
    const target = dbPath();
    if (io.env[KEPT_CA_CERTS] && !io.env.NODE_EXTRA_CA_CERTS && isServerUrl(target)) throw new NeedsCertificates();
    const [{ namesOf }, { useSqliteBinding }] = await Promise.all([import('./store/names.js'), import('./store/sqlite-binding.js')]);
    // Installed from the tarball, SQLite's compiled binding is the copy the build put in dist/native/ (see store/sqlite-binding.ts).
    useSqliteBinding(new URL('./native/better_sqlite3.node', import.meta.url));
    return namesOf(target, kind, io.env);
  };

  // The value of an option: one of its choices, or a name from the database.
  const prev = before[before.length - 1];
  if (prev !== undefined && GLOBAL_VALUE_FLAGS.includes(prev)) return [];
  const opt = prev?.startsWith('--') ? shape?.options.find((o) => o.flag === prev) : undefined;
  if (opt?.value) {
    if (opt.choices) return opt.choices;
    const kind = NAMED[opt.flag];
    return kind ? names(kind) : [];
  }

  if (current.startsWith('-')) {
    const own = shape?.options.map((o) => o.flag) ?? [];
    return [...own, ...GLOBAL_FLAGS, ...(pos.entry ? [] : ['--version']), '--help'];
  }
  const out = pos.choices.map((e) => e.name);
  if (!pos.entry) out.push('help');
  const arg = shape ? (shape.args[pos.positionals] ?? shape.args.find((a) => a.variadic)) : undefined;
  const kind = arg ? NAMED_ARGS[arg.name] : undefined;
  if (kind) out.push(...(await names(kind)));
  return out;
}

/** Prints the candidates starting with the word being typed; always exits 0 (completion must not complain). */
export async function complete(words: string[], io: CompleteIo): Promise<number> {
  const current = words[words.length - 1] ?? '';
  let found: string[] = [];
  try {
    found = await candidates(words.length ? words : [''], io);
  } catch (e) {
    if (e instanceof NeedsCertificates) return withCertificates(words, io);
    found = [];
  }
  const unique = [...new Set(found.filter((c) => c.startsWith(current)))];
  if (unique.length) io.stdout.write(`${unique.join('\n')}\n`);
  return 0;
}

/**
 * The same completion in a second process that has NODE_EXTRA_CA_CERTS back: a server reached over TLS may have a
 * certificate only that file vouches for. Costs a second start-up, and only when the names come from a server.
 */
async function withCertificates(words: string[], io: CompleteIo): Promise<number> {
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const bin = process.getBuiltinModule('node:url').fileURLToPath(new URL('../bin/xypz.js', import.meta.url));
  const env = { ...io.env, NODE_EXTRA_CA_CERTS: io.env[KEPT_CA_CERTS], [KEPT_CA_CERTS]: '' };
  const r = spawnSync(process.execPath, [bin, '__complete', ...words], { cwd: io.cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 10_000 });
  if (r.stdout) io.stdout.write(r.stdout);
  return 0;
}
