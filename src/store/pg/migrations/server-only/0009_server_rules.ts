/**
 * Server only: the workflow's invariants hold whatever a login sends (docs/workflow.md, docs/security.md).
 * The CLI checks them first, for its clear messages, and serialises its writes with the write lock; a login
 * with psql may skip both, so the server checks them again:
 *
 * - one current lead bank per case (a partial unique index; one open case per firm already is one);
 * - a department's recommendations in a district and year beyond the quota (3) carry an over-quota reason;
 * - a district's list holds no more firms than its capacity in force, on every day;
 * - a case moves through its stages in order only.
 *
 * The quota and the capacity are counts over other rows: each trigger first takes a transaction lock of its
 * own for the department or district (so racing clients check one after another, each seeing what the
 * previous one committed), and refuses to run in a REPEATABLE READ transaction, whose snapshot would hide
 * a racer's row (READ COMMITTED and SERIALIZABLE are both safe). A lock held too long ends in lock_timeout:
 * the CLI answers "busy" (exit 4). The schema owner (the maintenance connection, trusted: it copies and
 * restores whole histories) is not bound by these triggers.
 */
import type { Kysely } from 'kysely';
import { ident, runAll, schemaName } from '../sql.js';

/** Keys of the rule locks (the two-integer advisory locks; the write lock is a one-integer key). */
const QUOTA_LOCK = 22001;
const POOL_LOCK = 22002;

export async function up(db: Kysely<unknown>): Promise<void> {
  const s = ident(await schemaName(db));
  const fixed = `set search_path = ${s}, pg_temp`;
  await runAll(db, [
    // Whether the person connected is the schema owner (or a member of its role), also inside a SECURITY
    // DEFINER function, where current_user is the owner whoever called.
    `create function session_is_owner() returns boolean language sql stable ${fixed} as $$
      select pg_has_role(session_user, n.nspowner, 'MEMBER') from pg_namespace n where n.oid = current_schema()::regnamespace
    $$`,
    `create unique index bank_assignment_one_current on bank_assignment (case_id) where ended_on is null`,
    // The lock of one rule for one key, in a transaction whose snapshot sees what racers committed.
    `create function rule_lock(rule integer, key integer) returns void language plpgsql ${fixed} as $$
    begin
      if current_setting('transaction_isolation') = 'repeatable read' then
        raise exception '此项改动须在 read committed 或 serializable 事务中进行（规则要看到同时提交的其他改动）' using errcode = '0A000';
      end if;
      perform pg_advisory_xact_lock(rule, key);
    end $$`,
    // The quota: recommendations by a department in a district and year, this one included, beyond 3.
    `create function case_quota() returns trigger language plpgsql security definer ${fixed} as $$
    declare
      made bigint;
    begin
      if session_is_owner() then return new; end if;
      perform rule_lock(${QUOTA_LOCK}, new.recommended_by::integer);
      select count(*) into made from case_file c
       where c.recommended_by = new.recommended_by and c.region_code = new.region_code
         and left(c.recommended_on, 4) = left(new.recommended_on, 4);
      if made >= 3 and coalesce(new.over_quota_reason, '') = '' then
        raise exception '该部门在本区 % 年已推荐 % 家（每年 3 家以内）：超额推荐须记录理由', left(new.recommended_on, 4), made using errcode = '23514';
      end if;
      return new;
    end $$`,
    `create trigger case_quota before insert on case_file for each row execute function case_quota()`,
    // The first day from \`from_day\` on when a district's list holds more firms than its capacity in force.
    `create function pool_overfull_day(region text, from_day text) returns text language sql stable security definer ${fixed} as $$
      with days as (
        select from_day as day
        union select c.confirmed_on from case_file c where c.region_code = region and c.confirmed_on > from_day
        union select c.closed_on from case_file c where c.region_code = region and c.closed_on > from_day
        union select k.effective_on from capacity_change k where k.region_code = region and k.effective_on > from_day
      )
      select d.day from days d
       where (select count(*) from case_file c
               where c.region_code = region and c.confirmed_on <= d.day and (c.closed_on is null or c.closed_on > d.day))
           > coalesce((select k.capacity from capacity_change k where k.region_code = region and k.effective_on <= d.day
                        order by k.effective_on desc limit 1), 10)
       order by d.day limit 1
    $$`,
    `create function pool_capacity_kept() returns trigger language plpgsql security definer ${fixed} as $$
    declare
      region text;
      from_day text;
      day text;
    begin
      if session_is_owner() then return null; end if;
      if tg_table_name = 'capacity_change' then
        region := new.region_code;
        from_day := new.effective_on;
      else
        region := new.region_code;
        from_day := least(new.confirmed_on, new.closed_on);
        if tg_op = 'UPDATE' then
          from_day := least(from_day, old.confirmed_on, old.closed_on);
        end if;
        if from_day is null then return null; end if;
      end if;
      perform rule_lock(${POOL_LOCK}, hashtext(region));
      day := pool_overfull_day(region, from_day);
      if day is not null then
        raise exception '名单容量不足：% 在库企业超过当日的名单容量', day using errcode = '23514';
      end if;
      return null;
    end $$`,
    `create trigger pool_capacity_kept after insert or update of confirmed_on, closed_on on case_file for each row execute function pool_capacity_kept()`,
    `create trigger pool_capacity_kept after insert or update on capacity_change for each row execute function pool_capacity_kept()`,
    // The stages: a new case is recommended; then declared, verified or rejected, confirmed, assigned, closed.
    `create function case_stage_order() returns trigger language plpgsql ${fixed} as $$
    begin
      if session_is_owner() then return new; end if;
      if tg_op = 'INSERT' then
        if new.stage <> 'recommended' then
          raise exception '新的办理记录须从“已推荐”开始' using errcode = '23514';
        end if;
      elsif new.stage is distinct from old.stage and not (old.stage, new.stage) in (
          ('recommended', 'declared'), ('declared', 'verified'), ('declared', 'rejected'), ('verified', 'confirmed'),
          ('confirmed', 'assigned'), ('confirmed', 'closed'), ('assigned', 'closed')) then
        raise exception '办理阶段不能从 % 改为 %', old.stage, new.stage using errcode = '23514';
      end if;
      return new;
    end $$`,
    `create trigger case_stage_order before insert or update of stage on case_file for each row execute function case_stage_order()`,
  ]);
}
