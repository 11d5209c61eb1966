/**
 * Whole-database work on a server: db check (schema, references, the groups' access), db migrate from an
 * older schema, db backup to a SQLite file and db restore from one, db copy into a database that already
 * holds records.
 */
import { readFileSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openStore } from '../src/store/db.js';
import { runMigrations } from '../src/store/pg/migrate.js';
import { SERVER_PLAN } from '../src/store/pg/migrations/index.js';
import { STAMPED } from '../src/store/recording.js';
import { fileQuery } from './engines.js';
import { initialised, runIn, sandbox, type Sandbox } from './helpers.js';
import { code, declare, HR, recommend, VERIFY } from './cases.js';
import { olderCopy } from './old-schema.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

/** What 0018_recorded added, dropped again (its triggers and functions go with the others'). */
const RECORDED_OBJECTS = [
  ...Object.entries(STAMPED).map(([t, pairs]) => `alter table ${t} ${pairs.map(([, stamp]) => `drop column ${stamp}`).join(', ')}`),
  'drop table correction',
  'drop table programme',
  'drop table recording',
  'alter table org drop column recorded_at',
];

const bank = (name: string) => ['org', 'add', '--name', name, '--kind', 'bank', '--district', '鄂州市'];

describe('db check on a server', () => {
  it('passes an untouched database and finds a trigger, a grant and a missing protection someone added (exit 3)', async () => {
    sb = await initialised();
    const ok = await sb.run(['db', 'check', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json()).toMatchObject({ ok: true, integrity: ['ok'], schema_problems: [], schema_version: SERVER_PLAN.version, expected_version: SERVER_PLAN.version, mode: null });
    await sb.sql(`create function steal() returns trigger language plpgsql as $$ begin update app_user set role = 'admin'; return new; end $$`);
    await sb.sql('create trigger steal after insert on audit_log for each row execute function steal()');
    await sb.sql('grant delete on audit_log to xypz_writer');
    await sb.sql('drop trigger audit_log_no_truncate on audit_log');
    const r = await sb.run(['db', 'check', '--json']);
    expect(r.code).toBe(3);
    expect(r.json().schema_problems).toEqual(
      expect.arrayContaining([
        '多出了触发器 audit_log.steal（本程序的结构中没有）',
        '多出了函数 steal()（本程序的结构中没有）',
        'xypz_writer 有审计日志的 DELETE 权限（只有 schema 所有者可以有）',
        '缺少触发器 audit_log.audit_log_no_truncate（审计日志的只追加保护）',
      ]),
    );
  });

  it('finds what the server must enforce and does not: row-level security off, a policy widened, a grant beyond the contract, a function for PUBLIC', async () => {
    sb = await initialised();
    for (const s of [
      'alter table loan disable row level security',
      'alter table enterprise no force row level security',
      'alter policy scope_read on case_file using (true)',
      'drop policy scope_update on app_user',
      'grant update on loan to xypz_writer',
      'grant select on enterprise to public',
      'grant usage on sequence loan_id_seq to xypz_reader',
      'grant execute on function unit_org() to public',
      'grant execute on function restore_identities() to xypz_reader',
    ]) {
      await sb.sql(s);
    }
    const r = await sb.run(['db', 'check', '--json']);
    expect(r.code).toBe(3);
    expect(r.json().schema_problems).toEqual(
      expect.arrayContaining([
        '表 loan 没有启用行级安全（登录账号可以读写其中所有记录）',
        '表 enterprise 的行级安全没有强制（FORCE），对表的所有者不起作用',
        '行级策略 case_file.scope_read 的定义被改动',
        '缺少行级策略 app_user.scope_update',
        'xypz_writer 有表 loan 的 UPDATE 权限（超出约定）',
        'PUBLIC 有表 enterprise 的 SELECT 权限（超出约定）',
        'xypz_reader 有序列 loan_id_seq 的 USAGE 权限（超出约定）',
        '函数 unit_org() 可由 PUBLIC（任何数据库账号）执行',
        'xypz_reader 有函数 restore_identities() 的 EXECUTE 权限（超出约定）',
      ]),
    );
    // db migrate does not repair it; the untouched database has none of these
    sb.cleanup();
    sb = await initialised();
    expect((await sb.run(['db', 'check', '--json'])).json().schema_problems).toEqual([]);
  });

  it('finds records whose references do not resolve', async () => {
    sb = await initialised();
    await sb.sql("set session_replication_role = replica; update org set region_code = 'nowhere' where kind = 'bank'");
    const r = await sb.run(['db', 'check', '--json']);
    expect(r.code).toBe(3);
    expect(r.json().foreign_key_errors).toBe(1);
    expect(r.json().integrity[0]).toContain('表 org 有 9 条记录引用了 region 中不存在的记录');
  });
});

describe('db migrate on a server', () => {
  it('brings a schema made by the previous version to this one, keeping every record', async () => {
    sb = await initialised();
    expect((await sb.run(bank('迁移前银行'))).code).toBe(0);
    // a case taken to its lead bank, each step typed on its day
    const firm = code(901);
    const day = (today: string) => ({ today });
    await recommend(sb, firm, { date: '2024-06-01', run: day('2024-06-01') });
    await declare(sb, firm, { date: '2024-06-02', run: day('2024-06-02') });
    expect((await sb.run(['verify', firm, '--class', 'financing', ...VERIFY, '--date', '2024-06-03'], day('2024-06-03'))).code).toBe(0);
    expect((await sb.run(['pool', 'confirm', '--district', HR, '--meeting', '2024-06-04', firm], day('2024-06-04'))).code).toBe(0);
    expect((await sb.run(['assign', firm, '--bank', '工行', '--date', '2024-06-05'], day('2024-06-05'))).code).toBe(0);
    // What the version of migrations 0001–0003 left: the indexes 0004 replaced, no capacity history, one
    // feedback per month, no collection tables, no row-level security, and no record of the later migrations.
    await sb.sql("update region set capacity = 4 where name = '华容区'");
    for (const s of [
      `do $$ declare r record; begin
         for r in select policyname, tablename from pg_policies where schemaname = 'xypz' loop
           execute format('drop policy %I on xypz.%I', r.policyname, r.tablename);
         end loop;
         for r in select tablename from pg_tables where schemaname = 'xypz' loop
           execute format('alter table xypz.%I no force row level security', r.tablename);
           execute format('alter table xypz.%I disable row level security', r.tablename);
         end loop;
         drop trigger case_file_guard on xypz.case_file;
         drop trigger case_quota on xypz.case_file;
         drop trigger case_stage_order on xypz.case_file;
         drop trigger pool_capacity_kept on xypz.case_file;
         drop trigger pool_capacity_kept on xypz.capacity_change;
         drop index xypz.bank_assignment_one_current;
         drop trigger audit_entry_by_server on xypz.audit_log;
         drop trigger audit_counter_at_commit on xypz.audit_log;
         for r in select c.relname as t from pg_trigger g join pg_class c on c.oid = g.tgrelid
                   where g.tgname = 'audit_row_change' and c.relnamespace = 'xypz'::regnamespace loop
           execute format('drop trigger audit_row_change on xypz.%I', r.t);
         end loop;
         drop table xypz.audit_row_state;
         for r in select c.relname as t, g.tgname as g from pg_trigger g join pg_class c on c.oid = g.tgrelid
                   where g.tgname in ('recorded_by_server', 'late_entry_checked', 'correction_by_server', 'correction_noted')
                     and c.relnamespace = 'xypz'::regnamespace loop
           execute format('drop trigger %I on xypz.%I', r.g, r.t);
         end loop;
         drop table xypz.server_clock;
         drop table xypz.correction_xact;
         drop trigger loan_delete_withdrawn on xypz.loan;
         drop trigger loan_withdrawn_valid on xypz.loan_withdrawn;
         drop trigger loan_withdrawn_gone on xypz.loan_withdrawn;
         drop trigger loan_first_loan_once on xypz.loan;
         drop trigger coaching_item_case_open on xypz.coaching_item;
         for r in select g.tgname as n, c.relname as t from pg_trigger g join pg_class c on c.oid = g.tgrelid
                   where right(g.tgname, 9) = '_recorded' and c.relnamespace = 'xypz'::regnamespace loop
           execute format('drop trigger %I on xypz.%I', r.n, r.t);
         end loop;
         for r in select p.oid::regprocedure as f from pg_proc p
                   where p.pronamespace = 'xypz'::regnamespace and p.proname not in ('audit_log_append_only', 'audit_log_count', 'restore_identities') loop
           execute format('drop function %s', r.f);
         end loop;
       end $$`,
      ...RECORDED_OBJECTS,
      'alter table loan drop column collection_id',
      'alter table loan drop column note',
      'alter table coaching_item drop column closed_collection_id',
      'drop table loan_withdrawn',
      'drop table collection_return',
      'drop table collection_workbook',
      'drop index case_figures',
      'drop index case_active',
      'drop index loan_case_figures',
      'drop index case_firms',
      'drop index assignment_lead',
      'drop index coaching_closed',
      'create index loan_case on loan (case_id)',
      'create index assignment_case on bank_assignment (case_id, assigned_on)',
      'drop table capacity_change',
      'drop index feedback_sender_month',
      'alter table feedback add constraint feedback_one_per_month unique (from_kind, from_key, month)',
      "delete from kysely_migration where name > '0003_cases'",
    ]) {
      await sb.sql(s);
    }
    const old = await sb.run(['org', 'list']);
    expect(old.code).toBe(4);
    expect(old.stderr).toContain(`结构版本较旧（3，本程序为 ${SERVER_PLAN.version}）`);
    const m = await sb.run(['db', 'migrate', '--json']);
    expect(m.code, m.stderr).toBe(0);
    const later = Object.keys(SERVER_PLAN.migrations).filter((name) => name > '0003_cases');
    expect(later.slice(0, 4)).toEqual(['0004_report_indexes', '0005_capacity_history', '0006_feedback_history', '0007_collection']);
    expect(m.json()).toEqual({ applied: later, schema_version: SERVER_PLAN.version });
    const pool = (await sb.run(['pool', 'show', '--district', '华容区', '--json'])).json();
    expect(pool.capacity).toBe(4);
    expect((await sb.run(['db', 'check'])).code).toBe(0);
    expect((await sb.run(['org', 'list', '--kind', 'bank', '--json'])).json().map((o: { name: string }) => o.name)).toContain('迁移前银行');
    expect((await sb.run(['audit', 'verify'])).code).toBe(0);
    // records from before the recorded stamps count as recorded on their event's date
    expect(await sb.sql('select recommended_recorded_at, declared_recorded_at, verified_recorded_at, confirmed_recorded_at, assigned_recorded_at, closed_recorded_at from case_file where enterprise_code = ?', [firm])).toEqual([
      { recommended_recorded_at: '2024-06-01', declared_recorded_at: '2024-06-02', verified_recorded_at: '2024-06-03', confirmed_recorded_at: '2024-06-04', assigned_recorded_at: '2024-06-05', closed_recorded_at: null },
    ]);
    for (const [table, event] of [['declaration', 'submitted_on'], ['verification', 'verified_on'], ['bank_assignment', 'assigned_on'], ['capacity_change', 'effective_on']]) {
      const rows = await sb.sql<{ e: string; s: string }>(`select ${event} as e, recorded_at as s from ${table}`);
      expect(rows.length, table).toBeGreaterThan(0);
      for (const r of rows) expect(r.s, table).toBe(r.e);
    }
    expect(await sb.sql('select start_on from programme')).toEqual([{ start_on: '2023-12-28' }]);
  });

  it('0018_recorded on a server of the release before it: stamps from the event dates, every row’s audit digest kept', async () => {
    sb = await initialised();
    const store = await openStore(sb.db);
    const scratch = `xypz_upgrade_${process.pid}`;
    const upTo = (last: string) => Object.keys(SERVER_PLAN.migrations).filter((n) => n <= last);
    try {
      await store.db.connection().execute(async (conn) => {
        await sql.raw(`begin; create schema ${scratch}; set local search_path = ${scratch}`).execute(conn);
        try {
          await runMigrations(conn, scratch, upTo('0017_server_audit_counter'));
          // rows written by the release before, their digests kept by the audit trigger as it writes them
          await sql.raw(`set constraints all immediate;
            insert into region (code, name, level, aliases, capacity, sort_order) values ('420703', '华容区', 'district', '[]', 10, 1);
            insert into capacity_change (region_code, capacity, effective_on, created_at) values ('420703', 10, '1900-01-01', null), ('420703', 12, '2024-05-01', '2024-05-01T09:00:00.000+08:00');
            insert into feedback (from_kind, from_key, month, text, submitted_on, created_at, updated_at) values ('district', '420703', '2024-04', '四月', '2024-05-06', '2024-05-06', '2024-05-06')`).execute(conn);
          expect((await sql.raw(`select * from audit_unrecorded()`).execute(conn)).rows).toEqual([]);
          expect(await runMigrations(conn, scratch, upTo('0018_recorded'))).toEqual(['0018_recorded']);
          expect((await sql.raw(`select effective_on, recorded_at from capacity_change order by id`).execute(conn)).rows).toEqual([
            { effective_on: '1900-01-01', recorded_at: '1900-01-01' },
            { effective_on: '2024-05-01', recorded_at: '2024-05-01' },
          ]);
          expect((await sql.raw(`select recorded_at from feedback`).execute(conn)).rows).toEqual([{ recorded_at: '2024-05-06' }]);
          expect((await sql.raw(`select start_on from programme`).execute(conn)).rows).toEqual([{ start_on: '2023-12-28' }]);
          // the backfill went through the audit trigger: every row matches its digest again
          expect((await sql.raw(`select * from audit_unrecorded()`).execute(conn)).rows).toEqual([]);
        } finally {
          await sql.raw('rollback').execute(conn);
        }
      });
    } finally {
      await store.close();
    }
  });

  it('a migration that fails is named with its own error, and the schema stays as it was', async () => {
    sb = await initialised();
    // as if 0007 had not been recorded, though its tables are there: applying it again fails
    await sb.sql("delete from kysely_migration where name >= '0007_collection'");
    const before = await sb.fingerprint();
    const m = await sb.run(['db', 'migrate']);
    expect(m.code).toBe(1);
    expect(m.stderr).toContain('数据库结构升级失败（0007_collection）：relation "collection_workbook" already exists；数据库保持原状');
    expect(await sb.fingerprint()).toBe(before);
  });
});

describe('db backup and db restore on a server', () => {
  it('backs up to a 0600 SQLite file and restores it, keeping the replaced schema', async () => {
    sb = await initialised();
    expect((await sb.run(bank('备份前银行'))).code).toBe(0);
    const head = (await sb.run(['audit', 'head'])).stdout.split('\n')[0];
    const file = sb.path('backup.db');
    const b = await sb.run(['db', 'backup', file, '--json']);
    expect(b.code, b.stderr).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await runIn(sb.dir, ['--db', file, 'db', 'check'])).code).toBe(0);
    expect((await runIn(sb.dir, ['--db', file, 'audit', 'head'])).stdout.split('\n')[0]).toBe(head);
    expect((await sb.run(['db', 'backup', file])).code).toBe(3); // never overwrites

    expect((await sb.run(bank('备份后银行'))).code).toBe(0);
    const noTty = await sb.run(['db', 'restore', file]);
    expect(noTty.code).toBe(2);
    const r = await sb.run(['db', 'restore', file, '--yes', '--json'], { now: new Date('2024-06-15T10:00:00Z') });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().kept).toBe('xypz_replaced_20240615t100000');
    const banks = (await sb.run(['org', 'list', '--kind', 'bank', '--json'])).json().map((o: { name: string }) => o.name);
    expect(banks).toContain('备份前银行');
    expect(banks).not.toContain('备份后银行');
    const log = (await sb.run(['audit', 'log', '--json'])).json();
    expect(log.at(-1)).toMatchObject({ entity: 'database', after: { restored_from: file, kept: 'xypz_replaced_20240615t100000' } });
    expect((await sb.run(['audit', 'verify'])).code).toBe(0);
    expect((await sb.run(['db', 'check'])).code).toBe(0);
    // The replaced data is still there, out of the groups' reach.
    expect(await sb.sql("select count(*) as n from xypz_replaced_20240615t100000.org where name = '备份后银行'")).toEqual([{ n: 1 }]);
    expect(await sb.sql("select has_schema_privilege('xypz_writer', 'xypz_replaced_20240615t100000', 'USAGE') as u")).toEqual([{ u: false }]);
  });

  it('restores a backup an older version made: a private copy of it is migrated first, the file itself left as it was', async () => {
    sb = await initialised();
    expect((await sb.run(bank('旧版备份银行'))).code).toBe(0);
    const current = sb.path('current.db');
    expect((await sb.run(['db', 'backup', current])).code).toBe(0);
    const head = (await sb.run(['audit', 'head'])).stdout.split('\n')[0];
    const old = sb.path('old.db');
    await olderCopy(current, old, '0006_feedback_history');
    const bytes = readFileSync(old);
    expect((await sb.run(bank('备份后银行'))).code).toBe(0);
    const r = await sb.run(['db', 'restore', old, '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(old).equals(bytes)).toBe(true);
    const banks = (await sb.run(['org', 'list', '--kind', 'bank', '--json'])).json().map((o: { name: string }) => o.name);
    expect(banks).toContain('旧版备份银行');
    expect(banks).not.toContain('备份后银行');
    // the backup's chain up to its head, then the restore's own entry
    const verify = await sb.run(['audit', 'verify', '--expect', head!]);
    expect(verify.code, verify.stderr).toBe(0);
    expect((await sb.run(['audit', 'log', '--json'])).json().at(-1)).toMatchObject({ entity: 'database', after: { restored_from: old } });
    expect((await sb.run(['db', 'check'])).code).toBe(0);
  });

  it('refuses a backup someone changed, leaving the database as it was (exit 3)', async () => {
    sb = await initialised();
    const file = sb.path('backup.db');
    expect((await sb.run(['db', 'backup', file])).code).toBe(0);
    fileQuery(file, "create trigger evil after insert on audit_log begin update app_user set role = 'admin'; end");
    const before = await sb.fingerprint();
    const r = await sb.run(['db', 'restore', file, '--yes']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('多出了触发器 evil');
    expect(await sb.fingerprint()).toBe(before);
  });
});

describe('db copy into a server database', () => {
  it('refuses one holding records without confirmation; with --yes replaces it and keeps the old schema', async () => {
    sb = await initialised();
    const file = sb.path('other.db');
    expect((await runIn(sb.dir, ['--db', file, 'init', '--admin', 'tester', '--name', '测试员'])).code).toBe(0);
    expect((await runIn(sb.dir, ['--db', file, ...bank('文件里的银行')])).code).toBe(0);
    const before = await sb.fingerprint();
    // an account neither database has: the message names the database it was looked up in
    const stranger = await sb.run(['db', 'copy', '--from', file, '--to', sb.db, '--yes'], { env: { XYPZ_ACTOR: 'nobody' } });
    expect(stranger.code).toBe(5);
    expect(stranger.stderr).toContain(`操作人「nobody」不是数据库 ${file} 中的账号`);
    expect(await sb.fingerprint()).toBe(before);
    const refused = await sb.run(['db', 'copy', '--from', file, '--to', sb.db]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    expect(await sb.fingerprint()).toBe(before);
    const r = await sb.run(['db', 'copy', '--from', file, '--to', sb.db, '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().kept).toMatch(/^xypz_replaced_/);
    expect((await sb.run(['org', 'list', '--kind', 'bank', '--json'])).json().map((o: { name: string }) => o.name)).toContain('文件里的银行');
    expect((await sb.run(['db', 'check'])).code).toBe(0);
  });

  it('a log whose tail was deleted stays detectably short on the copy', async () => {
    sb = sandbox(); // an empty server database: the copy creates the schema
    const file = sb.path('cut.db');
    expect((await runIn(sb.dir, ['--db', file, 'init', '--admin', 'tester', '--name', '测试员'])).code).toBe(0);
    for (const n of ['甲', '乙']) expect((await runIn(sb.dir, ['--db', file, ...bank(`测试${n}银行`)])).code).toBe(0);
    const [{ m }] = fileQuery<{ m: number }>(file, 'select max(id) as m from audit_log');
    fileQuery(file, 'drop trigger audit_log_no_delete');
    fileQuery(file, `delete from audit_log where id = ${m}`);
    const r = await sb.run(['db', 'copy', '--from', file, '--to', sb.db]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('末尾被删除');
    const v = await sb.run(['audit', 'verify', '--json']);
    expect(v.code).toBe(3);
    expect(v.json().first_bad_id).toBe(m);
  });
});
