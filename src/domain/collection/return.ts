/**
 * The collection return, declared once (docs/records.md): the record of one returned workbook of a unit for a
 * month, as `collect import` writes it. It has no sheet columns of its own (the unit and month come from the
 * workbook's hidden _xypz sheet, the rest from the import). Its identity is the unit, the month and the file's
 * SHA-256: a file equal to the unit's latest return for the month is that return again (nothing is written,
 * it keeps the day it was first received); any other is a new return that replaces the earlier ones.
 */
import type { Selectable } from 'kysely';
import type { CollectionReturnTable } from '../../store/schema.js';
import { codec, defineRecord, field, type RowOf, type SameShape, type ValuesOf } from '../core/index.js';

const none = { identity: false, sheet: null } as const;

export const RETURN = defineRecord({
  orgId: field('org_id', codec.int, { identity: true, sheet: null }),
  month: field('month', codec.text, { identity: true, sheet: null }),
  workbookId: field('workbook_id', codec.int, none),
  batchId: field('batch_id', codec.intOrNull, none),
  file: field('file', codec.text, none),
  sha256: field('sha256', codec.text, { identity: true, sheet: null }),
  receivedOn: field('received_on', codec.text, none),
  rows: field('rows', codec.int, none),
  actor: field('actor', codec.text, none),
});

type ReturnFields = typeof RETURN.fields;
export type ReturnRecord = ValuesOf<ReturnFields>;
export type ReturnFieldName = keyof ReturnFields;

/** The definition's columns are the store's table but for its id, creation time and the time the database stamps (a column on one side alone fails here). */
export const _returnStorage: SameShape<RowOf<ReturnFields>, Omit<Selectable<CollectionReturnTable>, 'id' | 'created_at' | 'recorded_at'>> = true;

/**
 * A new return in the audit log: each field's key in the entry (null: not there; the unit and month name the
 * entry, the rest is bookkeeping). The entries are a hash chain: keep the keys and their order as they are.
 */
const RETURN_AUDIT = {
  orgId: null,
  month: null,
  file: 'file',
  sha256: 'sha256',
  receivedOn: 'received_on',
  workbookId: null,
  batchId: null,
  rows: null,
  actor: null,
} as const satisfies Record<ReturnFieldName, string | null>;

/** What the audit log says of a new return; `corrects`: the file of the unit's earlier return it replaces. */
export function returnAudit(r: ReturnRecord, corrects: string | null): Record<string, unknown> {
  const after: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(RETURN_AUDIT) as [ReturnFieldName, string | null][]) if (key !== null) after[key] = r[name];
  return { ...after, corrects };
}
