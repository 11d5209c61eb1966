/**
 * Frozen: 首贷 at most once per firm, ever, kept by the database itself, so that no program and no login (a
 * bank's account in psql) records a second one. A loan that is a disbursement flagged 首贷 (`first_loan` = 1) is
 * refused when the firm (its case's `enterprise_code`, any of its cases) already has a live one: a row of `loan`
 * (a withdrawn loan, moved to `loan_withdrawn`, no longer counts). Refused on insert, and on an update that makes
 * a loan such a first loan (or moves it to another firm's case).
 *
 * A database may already hold several flags for one firm (the first release accepted them): they stay as they
 * are, and the figures count the firm's 首贷 once, at its earliest. Only new ones are refused. A row inserted
 * with its recorded stamp (`recorded_at`, which the program's own statements never write: a copy, a restore)
 * is a record accepted before: it is kept as it comes. On a server only the schema owner (the maintenance
 * connection that copies and restores) may bring rows that way; a login's loan is always checked.
 *
 * The triggers are the only engine-specific part (as in 0018_recorded): on SQLite, BEFORE INSERT and BEFORE
 * UPDATE OF triggers raising an abort; on PostgreSQL, one BEFORE INSERT OR UPDATE trigger calling a security
 * definer function (it must see every bank's loans, whatever the login's row-level security lets it read),
 * which takes the firm's rule lock first, so that two logins' transactions racing to flag one firm do not both
 * see none (the program's own writes are one at a time already).
 */
import { sql, type Kysely } from 'kysely';
import type { SharedMigration } from '../kit.js';

/** The key of the server's rule lock (0009_server_rules' rule_lock) for one firm's 首贷. Frozen. */
const FIRST_LOAN_LOCK = 22003;

/** The refusal, as the database words it (the program refuses first, naming the earlier loan). Frozen. */
const REFUSAL = '首贷每户企业只有一次：该企业已有标记为首贷的放款，不能再登记首贷';

export const up: SharedMigration['up'] = async (db, k) => {
  await (k.engine === 'sqlite' ? sqliteTriggers(db) : serverTrigger(db));
};

/** The firm of `new` already has a live first loan other than `new` itself (SQLite). */
const SQLITE_HAS_FIRST = `exists (
  select 1 from loan l join case_file c on c.id = l.case_id
   where l.kind = 'disbursement' and l.first_loan = 1 and l.id is not new.id
     and c.enterprise_code = (select enterprise_code from case_file where id = new.case_id))`;

async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `create trigger loan_first_loan_once before insert on loan
         when new.kind = 'disbursement' and new.first_loan = 1 and new.recorded_at is null and ${SQLITE_HAS_FIRST}
       begin
         select raise(abort, '${REFUSAL}');
       end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger loan_first_loan_once_update before update of kind, first_loan, case_id on loan
         when new.kind = 'disbursement' and new.first_loan = 1
          and not (old.kind = 'disbursement' and old.first_loan = 1 and old.case_id = new.case_id)
          and ${SQLITE_HAS_FIRST}
       begin
         select raise(abort, '${REFUSAL}');
       end`,
    )
    .execute(db);
}

async function serverTrigger(db: Kysely<unknown>): Promise<void> {
  const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]!.s;
  const fixed = `set search_path = "${schema.replaceAll('"', '""')}", pg_temp`;
  await sql
    .raw(
      `create function loan_first_loan_once() returns trigger language plpgsql volatile security definer ${fixed} as $$
       declare
         firm text;
       begin
         if new.kind <> 'disbursement' or new.first_loan <> 1 then return new; end if;
         if tg_op = 'INSERT' then
           -- a copy or a restore by the maintenance connection keeps the records as they were accepted
           if new.recorded_at is not null and session_is_owner() then return new; end if;
         elsif old.kind = 'disbursement' and old.first_loan = 1 and old.case_id = new.case_id then
           return new;
         end if;
         select enterprise_code into firm from case_file where id = new.case_id;
         -- one firm's 首贷 at a time: a racing transaction's, once committed, is seen below
         perform rule_lock(${FIRST_LOAN_LOCK}, hashtext(firm));
         if exists (
           select 1 from loan l join case_file c on c.id = l.case_id
            where l.kind = 'disbursement' and l.first_loan = 1 and l.id <> new.id and c.enterprise_code = firm
         ) then
           raise exception '${REFUSAL}' using errcode = 'check_violation';
         end if;
         return new;
       end $$`,
    )
    .execute(db);
  await sql.raw(`create trigger loan_first_loan_once before insert or update on loan for each row execute function loan_first_loan_once()`).execute(db);
}
