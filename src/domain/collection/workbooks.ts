/**
 * The monthly collection (xypz collect): which workbooks to make for a month and recording that they were
 * made; which came back, when, and whether on time (collect status, report overdue). Reading a returned
 * workbook is import.ts.
 */
import type { Kysely } from 'kysely';
import { DataError, RuleError } from '../../errors.js';
import { localTimestamp } from '../../store/audit.js';
import { insertWorkbooks, returnsOf, workbooksOf } from '../../store/collection.js';
import type { Store } from '../../store/db.js';
import type { DB } from '../../store/schema.js';
import { quote } from '../../util/text.js';
import { audit, authorize, readScope, type Actor, type Directory } from '../core/index.js';
import { collectionDeadline, digestOf, manifestOf, type Meta } from './book.js';
import { expectedUnits, UNIT_KIND_LABEL, unitContent, unitOf, type Unit, type UnitContent } from './units.js';
import { parseMonth } from './feedback.js';
import { monthInWords } from '../../util/dates.js';
import { safeFileName } from '../../util/filenames.js';

/** A month as typed (2024-03, 2024年3月, 202403), not in the future. */
export function collectionMonth(input: string, who: Actor): string {
  const month = parseMonth(input);
  if (!month) throw new DataError(`--month 的值${quote(input)}不是月份（YYYY-MM，如 2024-03）`);
  if (month > who.today.slice(0, 7)) throw new DataError(`${monthInWords(month)}还没有到`);
  return month;
}

/**
 * Making or reading a unit's workbook shows that unit's data: an actor who sees every district (人民银行, the
 * city's 金融办) may do it for any unit, any other unit only for itself.
 */
function authorizeFor(who: Actor, units: Unit[], writes: boolean): void {
  authorize(who, 'report.read');
  if (writes && who.profile?.role === 'viewer') throw new RuleError(`${who.profile.org.name}的查询员只能查询，不能生成报送表`, [], [], 'forbidden');
  if (readScope(who.profile!).all) return;
  const other = units.find((u) => u.org.id !== who.profile!.org.id);
  if (other) throw new RuleError(`${who.profile!.org.name}只能生成和查看本单位的报送表，不能生成${other.org.name}的`, [], [], 'forbidden');
}

export interface MadeBook {
  unit: Unit;
  content: UnitContent;
  meta: Meta;
  /** `<YYYY-MM>-<unit full name>.xlsx`, made safe (util/filenames.ts): never a path. */
  file: string;
}

/** The workbooks of a month: every expected unit's, or those of `only` (each must be expected). */
export async function prepareCollection(db: Kysely<DB>, dir: Directory, who: Actor, monthInput: string, only?: string[]): Promise<{ month: string; books: MadeBook[] }> {
  const month = collectionMonth(monthInput, who);
  const expected = await expectedUnits(db, dir, month);
  let units = expected;
  if (only && only.length > 0) {
    units = [];
    for (const name of only) {
      const org = dir.org(name);
      const unit = expected.find((u) => u.org.id === org.id);
      if (!unit) {
        const why = unitOf(dir, org) ? '本月没有主办企业或交办的辅导事项' : '只有区金融办、主办行和承办辅导事项的政府部门报送';
        throw new DataError(`${org.name}不需要报送${monthInWords(month)}的数据（${why}）`);
      }
      if (!units.includes(unit)) units.push(unit);
    }
  }
  authorizeFor(who, units, true);
  const madeAt = localTimestamp(who.now);
  const books: MadeBook[] = [];
  for (const unit of units) {
    const content = await unitContent(db, dir, unit, month);
    const manifest = manifestOf(content);
    const meta: Meta = { unitCode: unit.org.code, unitName: unit.org.name, month, madeAt, digest: digestOf(unit.org.code, month, manifest), manifest };
    let file = safeFileName(`${month}-${unit.org.name}`, '.xlsx');
    // Two names alike once made safe ("A/B", "A_B"): the later one carries its unit's code.
    if (books.some((b) => b.file === file)) file = safeFileName(`${month}-${unit.org.name}-${unit.org.code}`, '.xlsx');
    books.push({ unit, content, meta, file });
  }
  return { month, books };
}

/** Records that the workbooks were made (after they were written), so that their return can be recognised. */
export async function recordMade(store: Store, who: Actor, books: MadeBook[]): Promise<void> {
  if (books.length === 0) return;
  await store.write(async (tx) => {
    await insertWorkbooks(
      tx,
      books.map((b) => ({ org_id: b.unit.org.id, month: b.meta.month, digest: b.meta.digest, made_at: b.meta.madeAt, file: b.file, actor: who.login })),
    );
    await audit(
      tx,
      who,
      books.map((b) => ({ entity: 'collection_workbook', entityId: `${b.unit.org.name} ${b.meta.month}`, after: { file: b.file, digest: b.meta.digest, rows: b.meta.manifest.length } })),
    );
  });
}

export interface UnitStatus {
  unit: string;
  /** The unit's district code (a bank's is the city's). */
  region: string;
  kind: Unit['kind'];
  kind_label: string;
  made: boolean;
  made_at: string | null;
  /** When the first workbook came back (its 接收日期). */
  received_on: string | null;
  /** When the last correction came back, if any. */
  corrected_on: string | null;
  returns: number;
  /** Rows the latest returned workbook carried (loans, coaching items, the feedback). */
  rows: number | null;
  /** true: back by the deadline; false: late, or not back and the deadline has passed; null: not back yet, still time. */
  on_time: boolean | null;
}

export interface CollectionStatus {
  month: string;
  deadline: string;
  units: UnitStatus[];
}

/** Every unit expected for the month (and any other whose workbook was made or came back). */
export async function collectionStatus(db: Kysely<DB>, dir: Directory, who: Actor, monthInput: string): Promise<CollectionStatus> {
  const month = collectionMonth(monthInput, who);
  authorize(who, 'report.read');
  const status = await statusOf(db, dir, month, who.today);
  // A district's office sees its district's units; any other unit, itself.
  const scope = readScope(who.profile!);
  const mine = (s: UnitStatus) => scope.all || s.unit === who.profile!.org.name || (scope.regions as string[]).includes(s.region);
  return { ...status, units: status.units.filter(mine) };
}

export async function statusOf(db: Kysely<DB>, dir: Directory, month: string, today: string): Promise<CollectionStatus> {
  const deadline = collectionDeadline(month);
  const [expected, made, back] = await Promise.all([expectedUnits(db, dir, month), workbooksOf(db, month), returnsOf(db, month)]);
  const units = [...expected];
  for (const id of [...made.map((m) => m.org_id), ...back.map((r) => r.org_id)]) {
    if (units.some((u) => u.org.id === id)) continue;
    const unit = unitOf(dir, dir.orgByIdOrThrow(id));
    if (unit) units.push(unit);
  }
  // One order whoever asks (a login that cannot see a bank's firms finds that bank through its workbook, not
  // among the expected units): the districts' offices, the banks, the departments, each in the directory's order.
  const kinds: Unit['kind'][] = ['district', 'bank', 'department'];
  const place = new Map([...dir.districts.map((d) => dir.financeOffice(d.code)?.id), ...dir.orgs.map((o) => o.id)].map((id, i) => [id, i] as const).reverse());
  units.sort((a, b) => kinds.indexOf(a.kind) - kinds.indexOf(b.kind) || place.get(a.org.id)! - place.get(b.org.id)!);
  return {
    month,
    deadline,
    units: units.map((u) => {
      const makes = made.filter((m) => m.org_id === u.org.id);
      const returns = back.filter((r) => r.org_id === u.org.id);
      const first = returns[0];
      const last = returns.at(-1);
      return {
        unit: u.org.name,
        region: u.org.regionCode,
        kind: u.kind,
        kind_label: UNIT_KIND_LABEL[u.kind],
        made: makes.length > 0,
        made_at: makes.at(-1)?.made_at ?? null,
        received_on: first?.received_on ?? null,
        corrected_on: returns.length > 1 ? last!.received_on : null,
        returns: returns.length,
        rows: last?.rows ?? null,
        on_time: first ? first.received_on <= deadline : today > deadline ? false : null,
      };
    }),
  };
}

export interface CollectionOverdue {
  unit: string;
  kind: Unit['kind'];
  kind_label: string;
  /** The unit's district (a bank's is the city). */
  region: string;
  month: string;
  deadline: string;
}

/** 督办: units whose workbook for the month was made and is not back by the deadline (once it has passed). */
export async function collectionOverdue(db: Kysely<DB>, dir: Directory, month: string, today: string): Promise<CollectionOverdue[]> {
  const s = await statusOf(db, dir, month, today);
  if (today <= s.deadline) return [];
  return s.units
    .filter((u) => u.made && u.received_on === null)
    .map((u) => ({ unit: u.unit, kind: u.kind, kind_label: u.kind_label, region: u.region, month, deadline: s.deadline }));
}
