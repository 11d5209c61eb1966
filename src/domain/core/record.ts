/**
 * One definition per record kind (docs/records.md). A record is declared once as a list of fields; each field
 * says its storage column and how its value is stored, its column in the workbooks and CSV files (title, width,
 * closed choices) or that it has none, how it is read from text and written as text, and whether it is part of
 * the record's identity: the fields that decide, on a re-import, whether a row is "the same record".
 *
 * From the definition come the record's TypeScript type (`ValuesOf`), its stored row (`RowOf`, checked against
 * the store's table type with `SameShape`), its sheet columns, the row ↔ record conversions and the identity key.
 * The store keeps its own table types (src/store/schema.ts: the store imports no domain); a definition states
 * with `SameShape` that its columns are exactly the table's, so a column added on either side alone is a type error.
 */

/** A column of a workbook or CSV file, as the readers match it and the writers lay it out. */
export interface SheetColumn {
  key: string;
  title: string;
  /** The column's width in a workbook the program writes; none for a file it only reads. */
  width?: number;
  required?: boolean;
  multiline?: boolean;
  aliases?: string[];
  /** Written when the workbook is made and locked: read back only to check it was not changed. */
  prefilled?: boolean;
}

/** A value read from text, or why it cannot be (`value`: the text to quote back, when the message shows it). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string; value?: string };

/** How a value is kept in its storage column. */
export interface Codec<T, S> {
  store: (v: T) => S;
  load: (s: S) => T;
  /** The value of an empty cell or an option not given; absent when the field must be given. */
  empty?: T;
}

export interface Field<T, S, C extends string, I extends boolean> {
  /** The storage column. */
  column: C;
  store: (v: T) => S;
  load: (s: S) => T;
  /** The value of an empty cell; absent when the field must be filled. */
  empty?: T;
  /** Part of the record's identity: two rows equal in every identity field are the same record on a re-import. */
  identity: I;
  /** The field's column in the workbooks and CSV files; null when it has none (filled from context). */
  sheet: (SheetColumn & { choices?: Record<string, T> }) | null;
  /** The value from text as typed (a cell, a command-line option); absent when only the context gives it. */
  parse?: (text: string) => Parsed<T>;
  /** The value as text (workbooks, CSV, messages). */
  format?: (v: T) => string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyField = Field<any, any, string, boolean>;
export type Fields = Record<string, AnyField>;

/** The record's values, by field name. */
export type ValuesOf<F extends Fields> = { -readonly [K in keyof F]: F[K] extends Field<infer T, infer _S, string, boolean> ? T : never };
/** The record's stored row, by storage column. */
export type RowOf<F extends Fields> = { -readonly [K in keyof F as F[K]['column']]: F[K] extends Field<infer _T, infer S, string, boolean> ? S : never };
/** The names of the identity fields. */
export type IdentityOf<F extends Fields> = { [K in keyof F]: F[K]['identity'] extends true ? K : never }[keyof F];
/** The storage columns of the identity fields. */
export type IdentityColumnOf<F extends Fields> = F[IdentityOf<F>]['column'];
/** The names of the fields that have a sheet column. */
export type InSheetOf<F extends Fields> = { [K in keyof F]: F[K]['sheet'] extends null ? never : K }[keyof F];

/** The fields a unit fills in: in the sheet, neither pre-filled nor identity (a re-import changes them in place). */
export type FilledOf<F extends Fields> = {
  [K in keyof F]: F[K]['sheet'] extends null ? never : F[K]['sheet'] extends { prefilled: true } ? never : F[K]['identity'] extends true ? never : K;
}[keyof F];

/** `first-loan` → `firstLoan`. */
type Camel<S extends string> = S extends `${infer A}-${infer B}` ? `${A}${Capitalize<Camel<B>>}` : S;
/** A command-line option's key among the command's parsed options: `--first-loan` → `firstLoan`. */
export type OptionKeyOf<Flag> = Flag extends `--${infer F}` ? Camel<F> : never;
export const optionKey = (flag: string): string => flag.replace(/^--/, '').replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/** `true` when A and B have exactly the same keys and value types; used as `const _: SameShape<A, B> = true`. */
export type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? ([keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false) : false) : false;

const same = <T>(): Codec<T, T> => ({ store: (v) => v, load: (s) => s });
const orNull = <T>(): Codec<T | null, T | null> => ({ store: (v) => v, load: (s) => s, empty: null });
/** The codecs of the storage columns used so far. */
export const codec = {
  int: same<number>(),
  intOrNull: orNull<number>(),
  text: same<string>(),
  textOrNull: orNull<string>(),
  oneOf: <V extends string>(_values: readonly V[]): Codec<V, V> => same<V>(),
  oneOfOrNull: <V extends string>(_values: readonly V[]): Codec<V | null, V | null> => orNull<V>(),
  /** A yes/no kept as 1/0; not given is no. */
  flag: { store: (v: boolean) => (v ? 1 : 0), load: (s: number) => s === 1, empty: false } as Codec<boolean, number>,
  /** A yes/no kept as 1/0, or not known (null). */
  flagOrNull: { store: (v: boolean | null) => (v === null ? null : v ? 1 : 0), load: (s: number | null) => (s === null ? null : s === 1), empty: null } as Codec<boolean | null, number | null>,
};

/** What a field says besides its column and codec. */
export interface FieldMore<T> {
  identity: boolean;
  /** The value of an empty cell, when not the codec's own. */
  empty?: T;
  sheet: (SheetColumn & { choices?: Record<string, T> }) | null;
  parse?: (text: string) => Parsed<T>;
  format?: (v: T) => string;
}

/**
 * A field: its storage column and codec, whether it is identity, its sheet column (or null), and how it is
 * read from and written as text. `identity` and `sheet` must always be said: a new field decides both.
 * The field keeps the exact type of what it says (a parse or choices given are known to be there).
 */
export function field<C extends string, T, S, const M extends FieldMore<NoInfer<T>>>(column: C, c: Codec<T, S>, more: M): NoInfer<Field<T, S, C, M['identity']> & M> {
  return { column, store: c.store, load: c.load, ...('empty' in c ? { empty: c.empty } : {}), ...more } as Field<T, S, C, M['identity']> & M;
}

export interface RecordDef<F extends Fields> {
  fields: F;
  /** Field names in declaration order. */
  names: (keyof F & string)[];
  /** The identity fields, in declaration order. */
  identity: IdentityOf<F>[];
  /** The fields a unit fills in (FilledOf), in declaration order. */
  filled: FilledOf<F>[];
  /** Whether two records agree in every field a unit fills in (a re-imported row that changes nothing). */
  sameFilled(a: Pick<ValuesOf<F>, FilledOf<F>>, b: Pick<ValuesOf<F>, FilledOf<F>>): boolean;
  /** The fields with a sheet column, in declaration order, with their columns. */
  sheet: { name: InSheetOf<F> & string; column: SheetColumn & { choices?: Record<string, unknown> } }[];
  toRow(v: ValuesOf<F>): RowOf<F>;
  fromRow(r: RowOf<F>): ValuesOf<F>;
  /** The identity of a record (parsed or loaded from a row): equal keys are the same record. */
  key(v: Pick<ValuesOf<F>, IdentityOf<F>>): string;
  /** The identity of a stored row, read from its identity columns: equal to `key` of the record it holds. */
  rowKey(r: Pick<RowOf<F>, IdentityColumnOf<F> & keyof RowOf<F>>): string;
}

export function defineRecord<F extends Fields>(fields: F): RecordDef<F> {
  const names = Object.keys(fields) as (keyof F & string)[];
  const identity = names.filter((n) => fields[n]!.identity) as IdentityOf<F>[];
  const filled = names.filter((n) => fields[n]!.sheet !== null && !fields[n]!.sheet!.prefilled && !fields[n]!.identity) as FilledOf<F>[];
  const sheet = names.filter((n) => fields[n]!.sheet !== null).map((n) => ({ name: n as InSheetOf<F> & string, column: fields[n]!.sheet! }));
  return {
    fields,
    names,
    identity,
    filled,
    sheet,
    sameFilled(a, b) {
      const stored = (v: unknown, n: FilledOf<F>) => fields[n as keyof F & string]!.store((v as Record<string, unknown>)[n as string]) ?? null;
      return filled.every((n) => stored(a, n) === stored(b, n));
    },
    toRow(v) {
      const row: Record<string, unknown> = {};
      for (const n of names) row[fields[n]!.column] = fields[n]!.store(v[n]);
      return row as RowOf<F>;
    },
    fromRow(r) {
      const v: Record<string, unknown> = {};
      for (const n of names) v[n] = fields[n]!.load((r as Record<string, unknown>)[fields[n]!.column]);
      return v as ValuesOf<F>;
    },
    key(v) {
      return JSON.stringify(identity.map((n) => fields[n]!.store((v as Record<string, unknown>)[n as string]) ?? null));
    },
    rowKey(r) {
      return JSON.stringify(identity.map((n) => (r as Record<string, unknown>)[fields[n as keyof F & string]!.column] ?? null));
    },
  };
}

/** A closed choice's message: "应为 授信 / 放款". */
const choiceReason = (choices: Record<string, unknown>) => `应为 ${Object.keys(choices).join(' / ')}`;

/**
 * A field's value from the text of its sheet cell: the empty value when blank (or 必填), one of its closed
 * choices, or its own parse; a text field without a parse takes the text as it is.
 */
export function fromCellText(f: { sheet: { choices?: Record<string, unknown> } | null; parse?: (text: string) => Parsed<unknown>; empty?: unknown }, text: string): Parsed<unknown> {
  const choices = f.sheet?.choices;
  if (text === '' && 'empty' in f) return { ok: true, value: f.empty };
  if (choices) return Object.hasOwn(choices, text) ? { ok: true, value: choices[text] } : { ok: false, reason: choiceReason(choices) };
  if (text === '') return { ok: false, reason: '必填' };
  return f.parse ? f.parse(text) : { ok: true, value: text };
}
