/**
 * The records as they were recorded by a moment: a kysely plugin that puts, in front of every read, a CTE
 * named like each stamped table it reads (`with loan as (select … from main.loan where …)` on SQLite,
 * `… from xypz.loan …` on the server), so that the queries written against the tables (the report figures,
 * the ranking, the enterprise detail, the trend) read, unchanged, the data as it stood then:
 * - a row recorded later is not there (its recorded stamp is on or after the moment);
 * - an event recorded later on a row that was there is not there either: a case's 申报/核查/入库/主办行/办结
 *   dates (and the stage they give), a lead-bank assignment's end, a coaching item's closing;
 * - a loan withdrawn later is still there, as it was (loan_withdrawn keeps it with the stamp of its withdrawal).
 *
 * Every write stamps what it records (src/store/recording.ts; docs/figures.md): all rows of one write share one
 * stamp, a record made before stamps existed carries its event date. A stamp is text that sorts as time does
 * (`YYYY-MM-DD HH:MM:SS.sss`, or a bare `YYYY-MM-DD`, which sorts before every stamp of that day).
 */
import {
  CommonTableExpressionNameNode,
  CommonTableExpressionNode,
  OperationNodeTransformer,
  SelectQueryNode,
  sql,
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RawBuilder,
  type RootOperationNode,
  type TableNode,
  type UnknownRow,
  type WithNode,
} from 'kysely';
import { engineOf, registerEngine } from './engine.js';
import { SCHEMA } from './pg/constants.js';
import type { DB } from './schema.js';
import description from './schema.json' with { type: 'json' };

/**
 * The moment: records stamped before `stamp` (`through`: on or before it) are there. A period's published
 * figures read the records before the day after its cut-off (a bare date); a correction's effect compares
 * the records through its own stamp with those through the stamp before it.
 */
export type RecordedBound = { before: string } | { through: string };

type Seen = (column: string) => RawBuilder<boolean>;
/** A table itself, under its schema's name (main.loan, xypz.loan): inside a view, not the view. */
type Real = (table: string) => RawBuilder<unknown>;

/** What a stamped table looks like at the moment: its columns, each maybe hidden by the stamp of its event. */
interface View {
  /** The stamp that says when the row was recorded. */
  row: string;
  /** A column shown only when this stamp is seen (else null): the event was recorded later. */
  hide?: Record<string, string>;
  /** Columns computed from what is seen. */
  derive?: Record<string, (seen: Seen, real: Real) => RawBuilder<unknown>>;
}

const stamps = (cols: string[], stamp: string) => Object.fromEntries(cols.map((c) => [c, stamp]));

const VIEWS: Record<string, View> = {
  case_file: {
    row: 'recommended_recorded_at',
    hide: {
      ...stamps(['declared_on', 'authorised', 'declared_recorded_at'], 'declared_recorded_at'),
      ...stamps(['verified_on', 'verified_recorded_at'], 'verified_recorded_at'),
      ...stamps(['confirmed_on', 'confirmed_recorded_at'], 'confirmed_recorded_at'),
      ...stamps(['assigned_on', 'assigned_recorded_at'], 'assigned_recorded_at'),
      ...stamps(['closed_on', 'outcome', 'close_note', 'closed_recorded_at'], 'closed_recorded_at'),
    },
    derive: {
      // The stage the seen dates give: the furthest step recorded by then (a rejection is a verification's result).
      stage: (seen) => sql`case when ${seen('closed_recorded_at')} then stage
        when ${seen('assigned_recorded_at')} then 'assigned'
        when ${seen('confirmed_recorded_at')} then 'confirmed'
        when ${seen('verified_recorded_at')} then case when stage = 'rejected' then 'rejected' else 'verified' end
        when ${seen('declared_recorded_at')} then 'declared'
        else 'recommended' end`,
      // The lead bank then: the latest assignment recorded by then whose end was not.
      lead_bank_id: (seen, real) => sql`(select a.bank_id from ${real('bank_assignment')} a where a.case_id = ${sql.ref('case_file.id')}
        and ${seen('a.recorded_at')} and (a.ended_on is null or not ${seen('a.ended_recorded_at')}) order by a.id desc limit 1)`,
      // The class then: the last reclassification recorded by then, else the class the verification gave
      // (the first reclassification's starting class, or the class as it is when there was none).
      class: (seen, real) => sql`case when ${seen('verified_recorded_at')} then coalesce(
        (select r.to_class from ${real('reclassification')} r where r.case_id = ${sql.ref('case_file.id')} and ${seen('r.recorded_at')} order by r.changed_on desc, r.id desc limit 1),
        (select r.from_class from ${real('reclassification')} r where r.case_id = ${sql.ref('case_file.id')} order by r.changed_on, r.id limit 1),
        class) end`,
    },
  },
  declaration: { row: 'recorded_at' },
  verification: { row: 'recorded_at' },
  bank_assignment: { row: 'recorded_at', hide: stamps(['ended_on', 'ended_recorded_at'], 'ended_recorded_at') },
  // Rows (loans still in force, and those withdrawn later) are put together in viewSql.
  loan: { row: 'recorded_at' },
  loan_withdrawn: { row: 'recorded_at' },
  collection_return: { row: 'recorded_at' },
  coaching_item: {
    row: 'recorded_at',
    hide: stamps(['closed_on', 'note', 'closed_collection_id', 'closed_recorded_at'], 'closed_recorded_at'),
    derive: { status: (seen) => sql`case when closed_recorded_at is null or ${seen('closed_recorded_at')} then status else 'open' end` },
  },
  reclassification: { row: 'recorded_at' },
  satisfaction: { row: 'recorded_at' },
  pool_filing: { row: 'recorded_at' },
  feedback: { row: 'recorded_at' },
  capacity_change: { row: 'recorded_at' },
};

/** The stamped tables, which the view replaces. */
export const STAMPED_TABLES = Object.keys(VIEWS);

const columnsOf = (table: string): string[] => {
  const t = description.tables.find((x) => x.name === table);
  if (!t) throw new Error(`as-recorded: no table ${table} in schema.json`);
  return t.columns.map((c) => c.name);
};

/** The columns of a view's select list: each as it is, hidden when its event is not seen, or derived. */
function selectList(table: string, seen: Seen, real: Real): RawBuilder<unknown> {
  const v = VIEWS[table]!;
  const cols = columnsOf(table).map((c) => {
    const derived = v.derive?.[c];
    if (derived) return sql`${derived(seen, real)} as ${sql.id(c)}`;
    const by = v.hide?.[c];
    if (by) return sql`case when ${seen(by)} then ${sql.id(c)} end as ${sql.id(c)}`;
    return sql.id(c);
  });
  return sql.join(cols);
}

/** The SQL of one table's view, reading the table itself under its schema's name (`main.loan`, `xypz.loan`). */
function viewSql(table: string, schema: string, seen: Seen, withdrawnLater: boolean): RawBuilder<unknown> {
  const real: Real = (name) => sql.table(`${schema}.${name}`);
  const v = VIEWS[table]!;
  if (table === 'loan' && withdrawnLater) {
    // A loan withdrawn after the moment was still in force then: it comes back from loan_withdrawn, with loan's columns.
    const cols = sql.join(columnsOf('loan').map((c) => sql.id(c)));
    return sql`(select ${cols} from ${real('loan')} where ${seen(v.row)}
      union all select ${cols} from ${real('loan_withdrawn')} where ${seen('recorded_at')} and not coalesce(${seen('withdrawn_recorded_at')}, false))`;
  }
  if (table === 'loan_withdrawn') {
    return sql`(select ${selectList(table, seen, real)} from ${real(table)} where ${seen('recorded_at')} and ${seen('withdrawn_recorded_at')})`;
  }
  return sql`(select ${selectList(table, seen, real)} from ${real(table)} as ${sql.id(table)} where ${seen(v.row)})`;
}

/**
 * The views this plugin put in front of queries. A sub-query built from the viewing instance (a join on
 * `db.selectFrom(…).as(…)`) is given them too when it is built; they are taken off it again when the whole
 * statement is run, and put once in front of the statement (SQLite accepts no WITH in a joined sub-query).
 */
const OURS = new WeakSet<CommonTableExpressionNode>();

/** Takes the views off every select of a statement and notes the tables it names (in any sub-query or join). */
class Unviewed extends OperationNodeTransformer {
  readonly names = new Set<string>();
  protected override transformTable(node: TableNode): TableNode {
    if (!node.table.schema) this.names.add(node.table.identifier.name);
    return super.transformTable(node);
  }
  protected override transformSelectQuery(node: SelectQueryNode, queryId?: QueryId): SelectQueryNode {
    // before transforming: the transformer copies every node, and the copies are no longer ours
    const kept = node.with?.expressions.filter((e) => !OURS.has(e));
    const bare = node.with && kept!.length < node.with.expressions.length ? { ...node, with: kept!.length > 0 ? { ...node.with, expressions: kept! } : undefined } : node;
    return super.transformSelectQuery(bare, queryId);
  }
}

class AsRecorded implements KyselyPlugin {
  constructor(
    private readonly bound: RecordedBound,
    private readonly schema: string,
    private readonly withdrawnLater: boolean,
  ) {}

  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (!SelectQueryNode.is(node)) return node;
    const plain = new Unviewed();
    const query = plain.transformNode(node) as SelectQueryNode;
    const tables = STAMPED_TABLES.filter((t) => plain.names.has(t));
    if (tables.length === 0) return query;
    const bound = this.bound;
    const seen: Seen = 'before' in bound ? (c) => sql<boolean>`${sql.ref(c)} < ${bound.before}` : (c) => sql<boolean>`${sql.ref(c)} <= ${bound.through}`;
    // not materialized: each reference is read as a sub-query of the table, with its indexes
    const ctes = tables.map((t) => {
      const cte = CommonTableExpressionNode.cloneWith(
        CommonTableExpressionNode.create(CommonTableExpressionNameNode.create(t), viewSql(t, this.schema, seen, this.withdrawnLater).toOperationNode()),
        { materialized: false },
      );
      OURS.add(cte);
      return cte;
    });
    const withNode: WithNode = { kind: 'WithNode', expressions: [...ctes, ...(query.with?.expressions ?? [])], recursive: query.with?.recursive };
    return { ...query, with: withNode };
  }

  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  }
}

/**
 * The database (or a read's transaction) seen as recorded by a moment: reads through the returned instance see
 * only what had been recorded; it must not be written through.
 */
export function asRecorded(db: Kysely<DB>, bound: RecordedBound, opts: { withdrawnLater?: boolean } = {}): Kysely<DB> {
  const engine = engineOf(db);
  const view = db.withPlugin(new AsRecorded(bound, engine === 'postgres' ? SCHEMA : 'main', opts.withdrawnLater ?? true));
  // No raw handle is registered for it: a statement prepared on the handle would read the tables themselves.
  registerEngine(view, engine);
  return view;
}

/**
 * asRecorded, after asking whether any loan recorded by the moment was withdrawn after it: when none was (the
 * usual case: a withdrawal in a final month is a correction), the loans then are the loans recorded by then
 * that are still in force, and the view reads them from loan alone, with its indexes, instead of a union with
 * loan_withdrawn (several times faster for the loan figures).
 */
export async function recordedView(db: Kysely<DB>, bound: RecordedBound): Promise<Kysely<DB>> {
  const [at, op] = 'before' in bound ? [bound.before, '<'] as const : [bound.through, '<='] as const;
  const later = await db
    .selectFrom('loan_withdrawn')
    .select('id')
    .where('recorded_at', op, at)
    .where('withdrawn_recorded_at', op === '<' ? '>=' : '>', at)
    .limit(1)
    .executeTakeFirst();
  return asRecorded(db, bound, { withdrawnLater: later !== undefined });
}
