/**
 * Published and revised reports read by the logins of the server: the view of the records as recorded by the
 * cut-off (src/store/as-recorded.ts) runs inside the row-level security of each login. The PBOC's operator
 * corrects a loan of April (final on TODAY, 2024-06-15: April's cut-off is 2024-05-10) of a 华容区 firm; the
 * 华容区 金融办 then sees its April report as published with the note, and --revised with the correction, exactly
 * as the PBOC sees 华容区; the city's report lists it too, a district without it does not.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSandbox, TODAY, type RunResult, type Sandbox } from './helpers.js';
import { makeLogins, runAs } from './real-logins.js';

const tag = randomBytes(3).toString('hex');
const L = { pboc: `rp_${tag}`, district: `rd_${tag}`, other: `ro_${tag}` };
const HR = '华容区';
let sb: Sandbox;
const passwords = new Map<string, string>();
const cli = (who: keyof typeof L, args: string[]) => runAs(sb, L[who], passwords.get(L[who])!, args, TODAY);
/**
 * What a login's command prints, as JSON. The tests only read (every change is made in beforeAll), so each
 * command runs once and a test asking again gets what it printed then.
 */
const printed = new Map<string, Promise<RunResult>>();
const json = async (who: keyof typeof L, args: string[]) => {
  const key = `${who} ${args.join(' ')}`;
  if (!printed.has(key)) printed.set(key, cli(who, [...args, '--json']));
  const r = await printed.get(key)!;
  if (r.code !== 0) throw new Error(`${who}: ${args.join(' ')} → ${r.code}: ${r.stderr}`);
  return r.json();
};
const APRIL = ['report', 'monthly', '--period', '2024-04'];
const hrLoans = (doc: { districts: { district: string; loan_amount: number }[] }) => doc.districts.find((d) => d.district === HR)!.loan_amount;

let before: { districts: { district: string; loan_amount: number }[]; revisions: unknown[] };

beforeAll(async () => {
  sb = await demoSandbox();
  const rows = [
    { login: L.pboc, org: '中国人民银行鄂州市分行', kind: '人民银行', region: '鄂州市', role: '操作员' },
    { login: L.district, org: '华容区金融办', kind: '金融办', region: HR, role: '查询员' },
    { login: L.other, org: '鄂城区金融办', kind: '金融办', region: '鄂城区', role: '查询员' },
  ];
  for (const [login, password] of await makeLogins(sb, rows, '1390002')) passwords.set(login, password);
  before = await json('district', APRIL);
  printed.clear(); // what was printed before the correction below is not what the tests read
  // a 华容区 firm of the financing class with a lead bank since before April
  const [firm] = await sb.sql<{ code: string; bank: string }>(
    `select c.enterprise_code as code, o.name as bank from case_file c join bank_assignment a on a.case_id = c.id join org o on o.id = a.bank_id
      where c.region_code = (select code from region where name = '${HR}') and a.assigned_on <= '2024-04-01' and a.ended_on is null
        and (c.closed_on is null or c.closed_on > '2024-04-30') and c.class = 'financing'
        and not exists (select 1 from reclassification r where r.case_id = c.id and r.changed_on > '2024-04-01') order by c.id limit 1`,
  );
  const r = await cli('pboc', ['loan', firm!.code, '--kind', 'disbursement', '--amount', '12.5', '--date', '2024-04-20', '--bank', firm!.bank, '--correction', '四月放款漏报']);
  if (r.code !== 0) throw new Error(r.stderr);
}, 300_000);
afterAll(() => sb?.cleanup());

describe('revisions as the logins see them', () => {
  it('the district sees its published April unchanged, with the note; --revised has the loan', async () => {
    const published = await json('district', APRIL);
    const { revisions, ...figures } = published;
    const { revisions: none, ...was } = before;
    expect(none).toEqual([]);
    expect(figures).toEqual(was);
    expect(revisions).toHaveLength(1);
    expect(revisions[0]).toMatchObject({ reason: '四月放款漏报', actor: L.pboc });
    const revised = await json('district', [...APRIL, '--revised']);
    expect(Math.round((hrLoans(revised) - hrLoans(before)) * 100)).toBe(1250);
    expect(revisions[0].changes).toContainEqual(expect.objectContaining({ table: 'districts', row: HR, figure: 'loan_amount', from: hrLoans(before), to: hrLoans(revised) }));
  });

  it('the district sees what the PBOC sees of it, published and revised', async () => {
    for (const extra of [[], ['--revised']]) {
      expect(await json('district', [...APRIL, ...extra])).toEqual(await json('pboc', [...APRIL, ...extra, '--district', HR]));
    }
  });

  it('another district has no revision: the correction does not move its figures', async () => {
    const other = await json('other', APRIL);
    expect(other.revisions).toEqual([]);
    expect((await json('pboc', APRIL)).revisions).toHaveLength(1);
  });
});
