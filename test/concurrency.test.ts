/**
 * Eight clients at once, as eight offices would: each its own process, racing for the district list's last
 * vacancy and a department's last quota slot. The rules hold (one winner each), the losers are told the
 * rule in plain words (never a database error), and the audit chain stays linear.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { caseAt, code, HR, nameOf, recommend } from './cases.js';
import { initialised, type Sandbox } from './helpers.js';

/** The CLI with the test seams (test/seamed-xypz.mjs): XYPZ_TEST_HOLD_WRITE_MS holds each write open. */
const BIN = join(process.cwd(), 'test', 'seamed-xypz.mjs');
const CLIENTS = 8;
let sb: Sandbox;
afterEach(() => sb?.cleanup());

interface Outcome {
  code: number | null;
  stderr: string;
}

/** One process of the CLI; resolves when it exits. */
function client(args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, '--json', ...args], {
      cwd: sb.dir,
      // Each write holds its transaction open a while before committing: writers that were not serialised
      // would all read the last place free and all take it.
      env: { ...process.env, ...sb.env, XYPZ_ACTOR: 'tester', XYPZ_TODAY: '2024-06-15', NO_COLOR: '1', XYPZ_TEST_HOLD_WRITE_MS: '300' },
    });
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += d));
    p.on('exit', (c) => resolve({ code: c, stderr }));
  });
}

/** Every client that lost was refused by the rule (exit 4 with its code), and no other error appeared. */
function oneWinner(outcomes: Outcome[], rule: string): void {
  const won = outcomes.filter((o) => o.code === 0);
  const lost = outcomes.filter((o) => o.code !== 0);
  expect(won, outcomes.map((o) => o.stderr).join('\n')).toHaveLength(1);
  for (const o of lost) {
    expect(o.code, o.stderr).toBe(4);
    expect(JSON.parse(o.stderr).error.code, o.stderr).toBe(rule);
  }
}

describe(`${CLIENTS} clients at once`, () => {
  it('fill the last vacancy and the last quota slot once each; the chain verifies', async () => {
    sb = await initialised();
    expect((await sb.run(['pool', 'capacity', '2', '--district', HR])).code).toBe(0);
    await caseAt(sb, 'confirmed', [code(1)]); // one of two places taken
    const candidates = Array.from({ length: CLIENTS }, (_, i) => code(10 + i));
    await caseAt(sb, 'verified', candidates);
    await recommend(sb, [code(21), code(22)], { dept: '财政' }); // two of the department's three
    const before = (await sb.run(['audit', 'verify', '--json'])).json().entries;

    const outcomes = await Promise.all(
      candidates.map(async (c, i) => {
        const confirm = client(['pool', 'confirm', '--district', HR, '--meeting', '2024-06-14', c]);
        const fresh = code(30 + i);
        const rec = client(['recommend', '--code', fresh, '--name', nameOf(fresh), '--district', HR, '--dept', '财政', '--date', '2024-06-14']);
        return { confirm: await confirm, recommend: await rec };
      }),
    );
    oneWinner(outcomes.map((o) => o.confirm), 'pool_full');
    oneWinner(outcomes.map((o) => o.recommend), 'quota');

    const pool = (await sb.run(['pool', 'show', '--district', HR, '--json'])).json();
    expect(pool).toMatchObject({ capacity: 2, vacancies: 0 });
    expect(pool.active).toHaveLength(2);
    const byDept = (await sb.run(['enterprise', 'list', '--json'])).json().filter((e: { code: string }) => [21, 22, ...candidates.map((_, i) => 30 + i)].some((n) => code(n) === e.code));
    expect(byDept).toHaveLength(3);
    const chain = await sb.run(['audit', 'verify', '--json']);
    expect(chain.code, chain.stderr).toBe(0);
    expect(chain.json().entries).toBeGreaterThan(before); // the two winners' entries, linked in
  }, 120_000);
});
