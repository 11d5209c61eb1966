/**
 * `db check` on a server: the records' references (PostgreSQL enforces them, unless someone turned that
 * off), the schema exactly as this program's migrations make it (built for comparison in a scratch
 * schema that is rolled back), the version, and the access the groups must and must not have.
 */
import { sql, type Kysely } from 'kysely';
import { randomBytes } from 'node:crypto';
import type { DB } from '../schema.js';
import type { CheckResult, Tx } from '../engine.js';
import { contractGrants, READER, WRITER } from './access.js';
import { SCHEMA } from './constants.js';
import { ident } from './migrations/sql.js';
import { runMigrations } from './migrate.js';
import { pgMigrationState, type PgStore } from './store.js';

const TYPE_LABEL: Record<string, string> = { table: '表', index: '索引', constraint: '约束', trigger: '触发器', function: '函数', view: '视图', sequence: '序列', rule: '规则', policy: '行级策略' };

/** The triggers that keep the audit log append-only. */
const APPEND_ONLY = ['audit_log_no_update', 'audit_log_no_delete', 'audit_log_no_truncate'];

/** Every object of `schema` that could hold data or run code, as kind + name → a definition without the schema's name. */
async function objectsOf(db: Tx, schema: string): Promise<Map<string, string>> {
  const r = await sql<{ kind: string; name: string; def: string }>`
    with ns as (select ${schema}::regnamespace as oid)
    select 'table' as kind, c.relname as name,
           string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || coalesce(' collate ' || co.collname, '')
                      || case when a.attnotnull then ' not null' else '' end
                      || case when a.attidentity <> '' then ' identity' else '' end
                      || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), ''), ', ' order by a.attnum) as def
      from pg_class c join ns on c.relnamespace = ns.oid
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      left join pg_collation co on co.oid = a.attcollation and a.attcollation <> 100
      left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
     where c.relkind in ('r', 'p')
     group by c.relname
    union all
    select case c.relkind when 'i' then 'index' when 'S' then 'sequence' else 'view' end, c.relname,
           case c.relkind when 'i' then pg_get_indexdef(c.oid) when 'S' then 'sequence' else pg_get_viewdef(c.oid) end
      from pg_class c join ns on c.relnamespace = ns.oid
     where c.relkind in ('i', 'v', 'm', 'S', 'f')
       and not (c.relkind = 'S' and exists (select from pg_depend dp where dp.objid = c.oid and dp.deptype = 'i'))
    union all
    select 'constraint', t.relname || '.' || k.conname, pg_get_constraintdef(k.oid)
      from pg_constraint k join pg_class t on t.oid = k.conrelid join ns on t.relnamespace = ns.oid
    union all
    select 'trigger', t.relname || '.' || g.tgname, pg_get_triggerdef(g.oid) || ' enabled=' || g.tgenabled::text
      from pg_trigger g join pg_class t on t.oid = g.tgrelid join ns on t.relnamespace = ns.oid
     where not g.tgisinternal
    union all
    select 'function', p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
           p.prosrc || ' secdef=' || p.prosecdef::text || ' config=' || coalesce(array_to_string(p.proconfig, ';'), '')
      from pg_proc p join ns on p.pronamespace = ns.oid
    union all
    select 'rule', t.relname || '.' || w.rulename, pg_get_ruledef(w.oid)
      from pg_rewrite w join pg_class t on t.oid = w.ev_class join ns on t.relnamespace = ns.oid
     where w.rulename <> '_RETURN'
    union all
    select 'policy', t.relname || '.' || p.polname,
           'for ' || p.polcmd::text || case when p.polpermissive then '' else ' restrictive' end
           || ' to ' || coalesce((select string_agg(case r.oid when 0 then 'public' else r.rolname end, ',' order by 1)
                                    from unnest(p.polroles) u(oid) left join pg_roles r on r.oid = u.oid), '')
           || ' using ' || coalesce(pg_get_expr(p.polqual, p.polrelid), '') || ' check ' || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '')
      from pg_policy p join pg_class t on t.oid = p.polrelid join ns on t.relnamespace = ns.oid`.execute(db);
  const plain = (s: string) => s.replaceAll(ident(schema), '~').replaceAll(`${schema}.`, '~.').replaceAll(`=${schema},`, '=~,');
  return new Map(r.rows.map((o) => [`${o.kind}\u0000${o.name}`, plain(o.def)]));
}

/** The objects the applied migrations make, built in a scratch schema inside a transaction that is rolled back. */
async function expectedObjects(db: Kysely<DB>, applied: string[]): Promise<Map<string, string>> {
  const scratch = `xypz_check_${randomBytes(4).toString('hex')}`;
  return db.connection().execute(async (conn) => {
    await sql.raw(`begin; create schema ${scratch}; set local search_path = ${scratch}`).execute(conn);
    try {
      await runMigrations(conn, scratch, applied);
      return await objectsOf(conn, scratch);
    } finally {
      await sql.raw('rollback').execute(conn);
    }
  });
}

function label(key: string): string {
  const [kind, name] = key.split('\u0000') as [string, string];
  return `${TYPE_LABEL[kind] ?? kind} ${name}`;
}

export async function pgSchemaProblems(db: Kysely<DB>, applied: string[]): Promise<string[]> {
  const expected = await expectedObjects(db, applied);
  const actual = await objectsOf(db, SCHEMA);
  const problems: string[] = [];
  for (const [key, def] of actual) {
    const want = expected.get(key);
    if (want === undefined) problems.push(`多出了${label(key)}（本程序的结构中没有）`);
    else if (want !== def) problems.push(`${label(key)} 的定义被改动`);
  }
  for (const key of expected.keys()) {
    if (actual.has(key)) continue;
    problems.push(`缺少${label(key)}${APPEND_ONLY.some((t) => key.endsWith(`.${t}`)) ? '（审计日志的只追加保护）' : ''}`);
  }
  return problems;
}

/** What the groups may do that they must not: own objects, create in the schema; who besides the owner may rewrite the audit log. */
async function accessProblems(db: Kysely<DB>): Promise<string[]> {
  const problems: string[] = [];
  const owned = await sql<{ role: string; n: number }>`
    select g.rolname as role, count(c.oid) as n from pg_roles g left join pg_class c on c.relowner = g.oid
     where g.rolname in (${WRITER}, ${READER}) group by g.rolname`.execute(db);
  for (const r of owned.rows) if (r.n > 0) problems.push(`组角色 ${r.role} 拥有 ${r.n} 个数据库对象（应一个也没有）`);
  const create = await sql<{ role: string }>`
    select rolname as role from pg_roles where rolname in (${WRITER}, ${READER}) and has_schema_privilege(oid, ${SCHEMA}, 'CREATE')`.execute(db);
  for (const r of create.rows) problems.push(`组角色 ${r.role} 可以在 schema ${SCHEMA} 中创建对象`);
  const audit = await sql<{ grantee: string; privilege: string }>`
    select coalesce(g.rolname, 'PUBLIC') as grantee, x.privilege_type as privilege
      from pg_class c, aclexplode(c.relacl) x left join pg_roles g on g.oid = x.grantee
     where c.oid = to_regclass(${`${SCHEMA}.audit_log`}) and x.grantee <> c.relowner and x.privilege_type in ('UPDATE', 'DELETE', 'TRUNCATE')`.execute(db);
  for (const r of audit.rows) problems.push(`${r.grantee} 有审计日志的 ${r.privilege} 权限（只有 schema 所有者可以有）`);
  const readerWrites = await sql<{ tab: string }>`
    select c.relname as tab from pg_class c
     where c.relnamespace = ${SCHEMA}::regnamespace and c.relkind = 'r'
       and exists (select from pg_roles r where r.rolname = ${READER}
                    and (has_table_privilege(r.oid, c.oid, 'INSERT') or has_table_privilege(r.oid, c.oid, 'UPDATE') or has_table_privilege(r.oid, c.oid, 'DELETE')))`.execute(db);
  for (const r of readerWrites.rows) problems.push(`组角色 ${READER} 可以改动表 ${r.tab}（查询员只能读取）`);
  return problems;
}

/**
 * What the server must enforce beyond the schema's shape: row-level security on and forced on every table;
 * no privilege beyond the contract (access.ts: the groups', none for PUBLIC or any other role, on tables,
 * columns, sequences and functions); no function executable by PUBLIC.
 */
async function contractProblems(db: Kysely<DB>): Promise<string[]> {
  const problems: string[] = [];
  const rls = await sql<{ tab: string; enabled: boolean; forced: boolean }>`
    select c.relname as tab, c.relrowsecurity as enabled, c.relforcerowsecurity as forced from pg_class c
     where c.relnamespace = ${SCHEMA}::regnamespace and c.relkind in ('r', 'p') order by 1`.execute(db);
  for (const t of rls.rows) {
    if (!t.enabled) problems.push(`表 ${t.tab} 没有启用行级安全（登录账号可以读写其中所有记录）`);
    else if (!t.forced) problems.push(`表 ${t.tab} 的行级安全没有强制（FORCE），对表的所有者不起作用`);
  }
  const granted = await sql<{ grantee: string; what: string; privilege: string }>`
    with ns as (select ${SCHEMA}::regnamespace as oid)
    select coalesce(g.rolname, 'PUBLIC') as grantee, k.what, x.privilege_type as privilege from (
      select case c.relkind when 'S' then '序列 ' else '表 ' end || c.relname as what, c.relacl as acl, c.relowner as owner
        from pg_class c join ns on c.relnamespace = ns.oid where c.relkind in ('r', 'p', 'S', 'v', 'm')
      union all
      select '列 ' || c.relname || '.' || a.attname, a.attacl, c.relowner
        from pg_attribute a join pg_class c on c.oid = a.attrelid join ns on c.relnamespace = ns.oid
       where a.attacl is not null and a.attnum > 0 and not a.attisdropped
      union all
      select '函数 ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', coalesce(p.proacl, acldefault('f', p.proowner)), p.proowner
        from pg_proc p join ns on p.pronamespace = ns.oid
      union all
      select 'schema ' || n.nspname, n.nspacl, n.nspowner from pg_namespace n join ns on n.oid = ns.oid
    ) k, aclexplode(k.acl) x left join pg_roles g on g.oid = x.grantee
     where x.grantee <> k.owner
     order by 2, 1, 3`.execute(db);
  const allowed = await contractGrants(db, SCHEMA);
  for (const r of granted.rows) {
    if (r.grantee === 'PUBLIC' && r.what.startsWith('函数 ')) problems.push(`${r.what} 可由 PUBLIC（任何数据库账号）执行`);
    else if (!allowed.has(`${r.grantee}\u0000${r.what}\u0000${r.privilege}`)) problems.push(`${r.grantee} 有${r.what} 的 ${r.privilege} 权限（超出约定）`);
  }
  return problems;
}

/** References that do not resolve (each foreign key checked as an anti-join). */
async function brokenReferences(db: Kysely<DB>): Promise<string[]> {
  const fks = await sql<{ tab: string; name: string; cols: string[]; ref: string; refcols: string[] }>`
    select t.relname as tab, k.conname as name, r.relname as ref,
           array(select attname from unnest(k.conkey) with ordinality u(n, i) join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n order by u.i)::text[] as cols,
           array(select attname from unnest(k.confkey) with ordinality u(n, i) join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.n order by u.i)::text[] as refcols
      from pg_constraint k join pg_class t on t.oid = k.conrelid join pg_class r on r.oid = k.confrelid
     where k.contype = 'f' and t.relnamespace = ${SCHEMA}::regnamespace order by 1, 2`.execute(db);
  const out: string[] = [];
  for (const fk of fks.rows) {
    const present = fk.cols.map((c) => `c.${ident(c)} is not null`).join(' and ');
    const match = fk.cols.map((c, i) => `p.${ident(fk.refcols[i]!)} = c.${ident(c)}`).join(' and ');
    const n = await sql<{ n: number }>`${sql.raw(`select count(*) as n from ${ident(fk.tab)} c where ${present} and not exists (select 1 from ${ident(fk.ref)} p where ${match})`)}`.execute(db);
    if (n.rows[0]!.n > 0) out.push(`表 ${fk.tab} 有 ${n.rows[0]!.n} 条记录引用了 ${fk.ref} 中不存在的记录（${fk.name}）`);
  }
  return out;
}

export async function checkPg(store: PgStore): Promise<CheckResult> {
  const state = await pgMigrationState(store.db);
  const broken = await brokenReferences(store.db);
  const warnings: string[] = [];
  if (state.pending.length > 0) warnings.push(`有 ${state.pending.length} 个结构升级未执行：请运行 xypz db migrate`);
  return {
    path: store.path,
    integrity: broken.length === 0 ? ['ok'] : broken,
    foreign_key_errors: broken.length,
    schema_problems: [...(await pgSchemaProblems(store.db, state.applied)), ...(await accessProblems(store.db)), ...(await contractProblems(store.db))],
    schema_version: state.version,
    expected_version: state.expected,
    pending: state.pending,
    mode: null,
    warnings,
  };
}
