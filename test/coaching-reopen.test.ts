/**
 * A corrected collection workbook may take back a closing it reported (the item is open again) only while the
 * closing's month is not final: once that month's figures are published they count the closing, and the
 * records they are read from must keep it. A unit is refused as for any late entry; the 人民银行 too, even as a
 * correction (it keeps the closing and adds a new item for the work that goes on). Moving the closing to another
 * date is refused the same way. Nothing is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedback, fill, loans, make, ok, progress, S, scenario } from './collect-helpers.js';
import { addAccounts, as, type Sandbox } from './helpers.js';

const { CODES, ICBC, MONTH } = S;
let sb: Sandbox;
let books: Record<string, string>;

/** 工行's workbook: a 授信 to A, a 放款 to B, item #2 in the state given, the feedback. */
const icbc = (state: string, date?: string) =>
  fill(sb, books[ICBC]!, (wb) => {
    loans(wb, [
      [CODES.A, '授信', 500, '2024-05-10', 3.95, 12, '信用', '否', '续贷'],
      [CODES.B, '放款', 80, '2024-05-20', 4.2, 6, '保证', '是'],
    ]);
    progress(wb, 2, state, date);
    feedback(wb, '本月走访主办企业 3 家，授信 500 万元，放款 80 万元。');
  }, `${state}.xlsx`);
const item2 = async () => (await ok(sb, ['coach', 'list', '--json'])).json().find((i: { id: number }) => i.id === 2);
const monthly = async (today: string) => (await ok(sb, ['report', 'monthly', '--period', MONTH, '--json'], { today })).stdout;

beforeAll(async () => {
  sb = await scenario();
  await addAccounts(sb, [{ login: 'icbc_op', org: ICBC, kind: '金融机构', region: '鄂州市', phone: '13800000003' }]);
  books = await make(sb, MONTH, ['--unit', ICBC]);
  await ok(sb, ['collect', 'import', await icbc('办结', '2024-05-28')], { today: S.RECEIVED });
}, 300_000);
afterAll(() => sb.cleanup());

describe('taking back a closing of a final month', () => {
  it('is refused to the unit and to the 人民银行’s correction; the item and the published report stay as they were', async () => {
    expect(await item2()).toMatchObject({ status: 'done', closed_on: '2024-05-28' });
    const published = await monthly('2024-06-11');
    const reopened = await icbc('进行中');
    const before = await sb.fingerprint();

    const unit = await sb.run(['collect', 'import', reopened], { ...as('icbc_op'), today: '2024-06-12' });
    expect(unit.code).toBe(3);
    expect(unit.stderr).toContain('2024年5月已结报：补录须由人民银行以更正方式登记');

    const pboc = await sb.run(['collect', 'import', reopened, '--correction', '工行更正：该事项尚未办结'], { today: '2024-06-12' });
    expect(pboc.code).toBe(3);
    expect(pboc.stderr).toContain('已发布的数字计入了这一办结');
    expect(pboc.stderr).toContain('xypz coach add');
    expect(pboc.stderr).not.toContain('    at '); // one line, no stack

    expect(await sb.fingerprint()).toBe(before);
    expect(await item2()).toMatchObject({ status: 'done', closed_on: '2024-05-28' });
    expect(await monthly('2024-06-13')).toBe(published);
  });

  it('moving the closing to another date is refused the same way: the published closing keeps its date', async () => {
    const published = await monthly('2024-06-11');
    const moved = await icbc('办结', '2024-05-30');
    const before = await sb.fingerprint();

    const unit = await sb.run(['collect', 'import', moved], { ...as('icbc_op'), today: '2024-06-12' });
    expect(unit.code).toBe(3);
    expect(unit.stderr).toContain('2024年5月已结报：补录须由人民银行以更正方式登记');

    const pboc = await sb.run(['collect', 'import', moved, '--correction', '工行更正：办结日期应为 5 月 30 日'], { today: '2024-06-12' });
    expect(pboc.code).toBe(3);
    expect(pboc.stderr).toContain('已发布的数字计入了这一办结');
    expect(pboc.stderr).toContain('保留原办结日期');

    expect(await sb.fingerprint()).toBe(before);
    expect(await item2()).toMatchObject({ status: 'done', closed_on: '2024-05-28' });
    expect(await monthly('2024-06-13')).toBe(published);
  });
});
