/**
 * Figures as published, on the server: the demo history on PostgreSQL, one closed month's report published;
 * a bank's late loan refused (exit 3, nothing written), the PBOC's correction recorded; the published report
 * unchanged but for its note, and `--revised` moved by exactly the loan. test/published.test.ts runs the whole
 * scenario on a file; the server's own guarantees (stamps a login cannot set) are in the pg attack tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSandbox, type RunResult, type Sandbox, TODAY } from './helpers.js';

const LATER = '2024-07-05';
const ICBC = '中国工商银行鄂州分行';
let sb: Sandbox;
const run = (who: string, today: string, args: string[]): Promise<RunResult> => sb.run(args, { today, env: { XYPZ_ACTOR: who } });
const ok = async (who: string, today: string, args: string[]): Promise<RunResult> => {
  const r = await run(who, today, args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
};

beforeAll(async () => {
  sb = await demoSandbox();
}, 180_000);
afterAll(() => sb?.cleanup());

describe('published figures on the server', () => {
  it('a late loan: a bank is refused; the PBOC’s correction shows only in --revised', async () => {
    // a financing firm 工行 has led since before April, never reclassified, with no disbursement in April
    let code: string | undefined;
    for (const c of (await ok('icbc_kh', LATER, ['enterprise', 'list', '--json'])).json() as { code: string; stage: string; class: string }[]) {
      if (c.stage !== 'assigned' || c.class !== 'financing') continue;
      const s = (await ok('icbc_kh', LATER, ['enterprise', 'show', c.code, '--json'])).json();
      const quiet = !s.history.some((h: { kind: string }) => h.kind === 'reclassified') && !s.loans.some((l: { kind: string; date: string }) => l.kind === 'disbursement' && l.date.startsWith('2024-04'));
      const lead = s.lead_banks.at(-1) as { bank: string; from: string; to: string | null };
      if (lead.bank === ICBC && lead.from <= '2024-04-01' && lead.to === null && quiet) code = c.code;
    }
    expect(code, 'a firm 工行 leads').toBeDefined();
    const published = (await ok('demo_op', TODAY, ['report', 'monthly', '--period', '2024-04', '--json'])).stdout;
    const before = await sb.fingerprint();

    const late = ['loan', code!, '--kind', 'disbursement', '--amount', '25', '--date', '2024-04-18'];
    const refused = await run('icbc_kh', LATER, late);
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr).toContain('2024年4月已结报：补录须由人民银行以更正方式登记');
    expect(await sb.fingerprint()).toBe(before);
    await ok('demo_op', LATER, [...late, '--correction', '工行 4 月放款漏报']);

    const strip = (s: string) => {
      const { revisions: _r, ...rest } = JSON.parse(s);
      return rest;
    };
    const now = await ok('demo_op', LATER, ['report', 'monthly', '--period', '2024-04', '--json']);
    expect(strip(now.stdout)).toEqual(strip(published));
    expect(now.json().revisions).toHaveLength(1);
    const revised = (await ok('demo_op', LATER, ['report', 'monthly', '--period', '2024-04', '--revised', '--json'])).json();
    const was = JSON.parse(published);
    const bank = (j: { banks: { bank: string; loan_amount: number; loan_firms: number }[] }) => j.banks.find((b) => b.bank === ICBC)!;
    expect(bank(revised).loan_amount).toBe(Math.round((bank(was).loan_amount + 25) * 100) / 100);
    expect(bank(revised).loan_firms).toBe(bank(was).loan_firms + 1);
    expect(revised.total.loan_amount).toBe(Math.round((was.total.loan_amount + 25) * 100) / 100);
  });
});
