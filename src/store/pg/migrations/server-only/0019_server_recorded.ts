/**
 * Server only: when a record was entered is the server's to say, and so is whether a final month may still
 * change (docs/figures.md, docs/security.md). For a login (not the schema owner, the trusted maintenance
 * connection):
 *
 * - **Recorded stamps.** Every `*_recorded_at` column (and a correction's `recorded_at`) is set by the server
 *   from its clock on insert, and again when its event column changes, whatever the login sent; an update
 *   that leaves the event alone keeps the stamp as it was (the columns are not updatable by any login
 *   anyway: access.ts). A stamp is `YYYY-MM-DD HH:MM:SS.sss`: the server's today, then the time of the
 *   transaction (UTC), so every record of one transaction has the same stamp. 0018's triggers take the
 *   stamp from recorded_now(), replaced here (a login gets the server's, never its own setting
 *   `xypz_store.recorded_at`), and keep a stamp a row is inserted with (a copy): the trigger recorded_by_server
 *   overrides it for a login, except a withdrawn loan's copy of the loan's own stamp, which 0014 checks.
 * - **The server's clock** is the one row of `server_clock`, which only the schema owner writes: `today`
 *   (null: the date now in `time_zone`, by default the programme's, Asia/Shanghai; never the session's time
 *   zone, which a login may set). The tests set `today` to the date they run the CLI with (XYPZ_TODAY).
 * - **Late entries.** A month is final from the day after its cut-off (the 10th of the following month).
 *   A login's insert or change of an event date in a final month (a new date or the one it replaces) is
 *   refused at commit unless the same transaction recorded a correction; only a 人民银行 writer (管理员,
 *   操作员) may insert a correction (0018's policy), and the server writes its actor, unit and stamp. A feedback's
 *   submission date and a workbook's receipt date are the server's today, any other only with a correction.
 *   A new event date after the server's today or before the programme's start is refused, correction or not,
 *   as the CLI refuses it: a login does no more in psql than through xypz.
 *   The check runs at commit (a deferred constraint trigger), so the correction may come before or after the
 *   records it covers, as xypz records it after them. Which transaction recorded a correction is kept in
 *   `correction_xact` (server only, written by the trigger): a setting would be the client's to forge.
 */
import { sql, type Kysely } from 'kysely';
import { LATE_ENTRY_STATE, READER_GROUP, WRITER_GROUP } from '../../constants.js';
import { ident, runAll, schemaName } from '../sql.js';

/** Each table's stamped events: [event column, its stamp]; '' = the row itself (stamped on insert). */
export const STAMPS: Record<string, [string, string][]> = {
  case_file: [
    ['recommended_on', 'recommended_recorded_at'],
    ['declared_on', 'declared_recorded_at'],
    ['verified_on', 'verified_recorded_at'],
    ['confirmed_on', 'confirmed_recorded_at'],
    ['assigned_on', 'assigned_recorded_at'],
    ['closed_on', 'closed_recorded_at'],
  ],
  declaration: [['submitted_on', 'recorded_at']],
  verification: [['verified_on', 'recorded_at']],
  bank_assignment: [
    ['assigned_on', 'recorded_at'],
    ['ended_on', 'ended_recorded_at'],
  ],
  loan: [['loan_on', 'recorded_at']],
  // a withdrawn loan keeps the loan's own stamp (0014 requires the copy to match the loan field for field)
  loan_withdrawn: [['withdrawn_on', 'withdrawn_recorded_at']],
  collection_return: [['received_on', 'recorded_at']],
  coaching_item: [
    ['added_on', 'recorded_at'],
    ['closed_on', 'closed_recorded_at'],
  ],
  reclassification: [['changed_on', 'recorded_at']],
  satisfaction: [['rated_on', 'recorded_at']],
  pool_filing: [['filed_on', 'recorded_at']],
  feedback: [['submitted_on', 'recorded_at']],
  capacity_change: [['effective_on', 'recorded_at']],
  correction: [['', 'recorded_at']],
};

/**
 * Each table's event dates, which a final month closes (a workbook's month too), and its receipt date, which
 * is today unless corrected.
 */
export const EVENTS: Record<string, { dates: string[]; receipt?: string }> = {
  case_file: { dates: ['recommended_on', 'declared_on', 'verified_on', 'confirmed_on', 'assigned_on', 'closed_on'] },
  declaration: { dates: ['submitted_on'] },
  verification: { dates: ['verified_on'] },
  bank_assignment: { dates: ['assigned_on', 'ended_on'] },
  loan: { dates: ['loan_on'] },
  loan_withdrawn: { dates: ['withdrawn_on'] },
  collection_return: { dates: ['month', 'received_on'], receipt: 'received_on' },
  coaching_item: { dates: ['added_on', 'closed_on'] },
  reclassification: { dates: ['changed_on'] },
  satisfaction: { dates: ['rated_on'] },
  pool_filing: { dates: ['filed_on'] },
  feedback: { dates: ['submitted_on'], receipt: 'submitted_on' },
  capacity_change: { dates: ['effective_on'] },
};


export async function up(db: Kysely<unknown>): Promise<void> {
  const schema = await schemaName(db);
  const s = ident(schema);
  const fixed = `set search_path = ${s}, pg_temp`;
  const owner = (await sql<{ owner: string }>`select nspowner::regrole::text as owner from pg_namespace where nspname = ${schema}`.execute(db)).rows[0]!.owner;
  const lit = (v: string) => `'${v.replaceAll("'", "''")}'`;

  await runAll(db, [
    // ---- the server's clock ---------------------------------------------------------------------------
    `create table server_clock (
      id integer primary key default 1 check (id = 1),
      today date,
      time_zone text collate "C" not null default 'Asia/Shanghai'
    )`,
    `insert into server_clock (id) values (1)`,
    // which transaction recorded which correction (server only, written by the trigger below)
    `create table correction_xact (
      correction_id bigint primary key,
      xact xid8 not null
    )`,
    `create index correction_xact_xact on correction_xact (xact)`,
    ...['server_clock', 'correction_xact'].flatMap((t) => [
      `alter table ${t} enable row level security`,
      `alter table ${t} force row level security`,
      `create policy maintenance on ${t} to ${ident(owner)} using (true) with check (true)`,
    ]),
    `create policy scope_read on server_clock for select to ${WRITER_GROUP}, ${READER_GROUP} using (true)`,
    `create function server_today() returns date language sql stable security definer ${fixed} as $$
      select coalesce((select coalesce(c.today, (now() at time zone c.time_zone)::date) from server_clock c where c.id = 1), current_date)
    $$`,
    `create function server_stamp() returns text language sql stable security definer ${fixed} as $$
      select to_char(server_today(), 'YYYY-MM-DD') || ' ' || to_char(now() at time zone 'UTC', 'HH24:MI:SS.MS')
    $$`,
    // The stamp 0018's triggers give: the client's (store.write sets it) for the schema owner, else the server's.
    `create or replace function recorded_now() returns text language sql stable ${fixed} as $$
      select case when session_is_owner() then coalesce(nullif(current_setting('xypz_store.recorded_at', true), ''), server_stamp()) else server_stamp() end
    $$`,
    // Whether this transaction recorded a correction.
    `create function correcting() returns boolean language sql stable security definer ${fixed} as $$
      select exists (select from correction_xact x where x.xact = pg_current_xact_id_if_assigned())
    $$`,
    // ---- stamps -----------------------------------------------------------------------------------------
    // Arguments: pairs of (event column, stamp column); an empty event column: stamped on insert only.
    `create function recorded_by_server() returns trigger language plpgsql security definer ${fixed} as $$
    declare
      n jsonb;
      o jsonb;
      stamp text;
      sets jsonb := '{}';
      ev text;
      col text;
      i integer := 0;
    begin
      -- The owner's own stamps stand: checked first, so its bulk writes (a copy) build no JSON per row.
      if session_is_owner() then return new; end if;
      n := to_jsonb(new);
      o := case when tg_op = 'UPDATE' then to_jsonb(old) end;
      stamp := server_stamp();
      while i < tg_nargs loop
        ev := tg_argv[i];
        col := tg_argv[i + 1];
        if tg_op = 'INSERT' then
          sets := sets || jsonb_build_object(col, case when ev = '' or n ->> ev is not null then stamp end);
        elsif ev <> '' and n -> ev is distinct from o -> ev then
          sets := sets || jsonb_build_object(col, case when n ->> ev is not null then stamp end);
        else
          sets := sets || jsonb_build_object(col, o -> col);
        end if;
        i := i + 2;
      end loop;
      return jsonb_populate_record(new, sets);
    end $$`,
    // ---- corrections ------------------------------------------------------------------------------------
    // Only the 人民银行's writers correct (0018's policy says so too; this says it in words).
    `create function correction_by_server() returns trigger language plpgsql security definer ${fixed} as $$
    begin
      if session_is_owner() then return new; end if;
      if not coalesce(unit_kind() = 'pboc' and unit_writes(), false) then
        raise exception '只有人民银行（管理员、操作员）可以登记更正：已结报月份的记录请交人民银行补录' using errcode = '${LATE_ENTRY_STATE}';
      end if;
      new.actor := lower(session_user::text);
      new.org_id := unit_org();
      return new;
    end $$`,
    `create trigger correction_by_server before insert on correction for each row execute function correction_by_server()`,
    `create function correction_noted() returns trigger language plpgsql security definer ${fixed} as $$
    begin
      if session_is_owner() then return null; end if;
      insert into correction_xact (correction_id, xact) values (new.id, pg_current_xact_id());
      return null;
    end $$`,
    `create trigger correction_noted after insert on correction for each row execute function correction_noted()`,
    // ---- late entries -----------------------------------------------------------------------------------
    // Arguments: the receipt column ('' if none), then the event date columns.
    `create function late_entry_checked() returns trigger language plpgsql security definer ${fixed} as $$
    declare
      n jsonb := to_jsonb(new);
      o jsonb := case when tg_op = 'UPDATE' then to_jsonb(old) end;
      receipt text := nullif(tg_argv[0], '');
      today text;
      start text;
      corrected boolean;
      col text;
      d text;
      k integer;
      month1 date;
      cutoff date;
      words text;
      i integer;
    begin
      if session_is_owner() then return null; end if;
      today := to_char(server_today(), 'YYYY-MM-DD');
      start := coalesce((select p.start_on from programme p where p.id = 1), '2023-12-28'); -- as programmeStart() reads it
      corrected := correcting();
      if receipt is not null and not corrected and (tg_op = 'INSERT' or n -> receipt is distinct from o -> receipt)
         and n ->> receipt is distinct from today then
        raise exception '登记日期 % 不是今天（%）：报送、反馈的日期即登记当天，其他日期只能由人民银行以更正方式登记（xypz 的 --correction <理由>）',
          coalesce(n ->> receipt, '（空）'), today using errcode = '${LATE_ENTRY_STATE}';
      end if;
      for i in 1 .. tg_nargs - 1 loop
        col := tg_argv[i];
        if tg_op = 'UPDATE' and n -> col is not distinct from o -> col then continue; end if;
        -- the new date (k = 1) and, on an update, the date it replaces (k = 2)
        for k in 1 .. 2 loop
          d := case k when 1 then n ->> col else o ->> col end;
          continue when d is null;
          if d !~ '^[0-9]{4}-(0[1-9]|1[0-2])(-[0-3][0-9])?$' then
            raise exception '%.% 的日期「%」格式不对，应为 YYYY-MM-DD', tg_table_name, col, d using errcode = '${LATE_ENTRY_STATE}';
          end if;
          if k = 1 and d > left(today, length(d)) then
            raise exception '日期 % 晚于今天（%）（%.%）', d, today, tg_table_name, col using errcode = '${LATE_ENTRY_STATE}';
          end if;
          if k = 1 and d < left(start, length(d)) then
            raise exception '日期 % 早于工作开始日期（%）（%.%）', d, start, tg_table_name, col using errcode = '${LATE_ENTRY_STATE}';
          end if;
          continue when corrected;
          month1 := to_date(left(d, 7) || '-01', 'YYYY-MM-DD');
          cutoff := (month1 + interval '1 month')::date + 9;
          continue when to_char(cutoff, 'YYYY-MM-DD') >= today;
          words := to_char(month1, 'YYYY') || '年' || extract(month from month1)::integer || '月已结报';
          if coalesce(unit_kind() = 'pboc', false) then
            raise exception '%：补录是对已发布数字的更正，须在同一事务中登记更正及其理由（xypz 的 --correction <理由>）（%.% = %；该月报送截止日 % 已过，数字不再变化）',
              words, tg_table_name, col, d, to_char(cutoff, 'YYYY-MM-DD') using errcode = '${LATE_ENTRY_STATE}';
          end if;
          raise exception '%：补录须由人民银行以更正方式登记（%.% = %；该月报送截止日 % 已过，数字不再变化）',
            words, tg_table_name, col, d, to_char(cutoff, 'YYYY-MM-DD') using errcode = '${LATE_ENTRY_STATE}';
        end loop;
      end loop;
      return null;
    end $$`,
  ]);

  for (const [t, pairs] of Object.entries(STAMPS)) {
    const args = pairs.flat().map(lit).join(', ');
    await runAll(db, [`create trigger recorded_by_server before insert or update on ${ident(t)} for each row execute function recorded_by_server(${args})`]);
  }
  for (const [t, e] of Object.entries(EVENTS)) {
    const args = [e.receipt ?? '', ...e.dates].map(lit).join(', ');
    await runAll(db, [
      `create constraint trigger late_entry_checked after insert or update of ${e.dates.map(ident).join(', ')} on ${ident(t)} deferrable initially deferred
         for each row execute function late_entry_checked(${args})`,
    ]);
  }
}
