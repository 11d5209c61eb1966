/**
 * Every command the program serves is listed in docs/cli.md ("命令一览"). The tree is walked on the commander
 * program itself, as `xypz` builds it: each noun's subcommands are declared when it is first parsed, so the
 * walk asks each top-level command for its help first.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli.js';
import type { Io } from '../src/context.js';

const sink = () => Object.assign(new Writable({ write: (_c, _e, done) => done() }), { isTTY: false, columns: 80 });

const io = { stdout: sink(), stderr: sink(), stdinIsTTY: false, env: {}, cwd: process.cwd(), now: () => new Date('2024-06-15T00:00:00Z'), osUser: () => 'test' } as unknown as Io;

/** The commands of the program that act: every leaf, and a noun that also acts by itself (`verify <代码>`). */
async function commandPaths(): Promise<string[]> {
  const program = buildProgram(io, {});
  const subs = (c: Command) => c.commands.filter((s) => s.name() !== 'help');
  for (const top of subs(program)) {
    await program.parseAsync([top.name(), '--help'], { from: 'user' }).catch(() => undefined);
  }
  const paths: string[] = [];
  const walk = (c: Command, path: string[]): void => {
    const children = subs(c);
    // A noun that acts has its own options (or arguments) once its definition is attached.
    if (children.length === 0 || c.options.length > 0 || c.registeredArguments.length > 0) paths.push(path.join(' '));
    for (const s of children) walk(s, [...path, s.name()]);
  };
  for (const top of subs(program)) walk(top, [top.name()]);
  return paths;
}

describe('docs/cli.md', () => {
  it('lists every command of the program', async () => {
    const paths = await commandPaths();
    // The walk reached the subcommands and the nouns that act.
    expect(paths).toEqual(expect.arrayContaining(['org list', 'coach done', 'report overdue', 'audit head', 'verify', 'verify reject', 'recommend', 'loan']));
    expect(paths).not.toContain('org');
    const doc = readFileSync(new URL('../docs/cli.md', import.meta.url), 'utf8');
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const missing = paths.filter((p) => !new RegExp(`\`xypz ${escape(p)}(\`| [<[-])`).test(doc));
    expect(missing, `commands missing from docs/cli.md (命令一览): ${missing.join(', ')}`).toEqual([]);
  });
});
