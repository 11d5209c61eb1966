/**
 * Real server logins for the units of a demo database, made the way an administrator makes them (users import,
 * agreement, login with a password file), and the CLI run as one of them with its own password: the policies bind
 * these logins, where they do not bind the schema owner that the other tests run as.
 */
import { readFileSync } from 'node:fs';
import { databaseUrl } from './engines.js';
import { keepLoginConnections } from './server-connections.js';
import { TODAY, type RunResult, type Sandbox } from './helpers.js';
import { USER_HEADER, userRow, writeXlsx } from './sheets.js';

export interface LoginRow {
  login: string;
  org: string;
  kind: string;
  region: string;
  role: string;
}

/** Creates the accounts and their server logins as demo_admin; returns each login's password. */
export async function makeLogins(sb: Sandbox, rows: LoginRow[], phonePrefix: string): Promise<Map<string, string>> {
  const f = sb.path('accounts.xlsx');
  await writeXlsx(f, { S: [USER_HEADER, ...rows.map((r, i) => userRow(i + 1, { ...r, phone: `${phonePrefix}${String(1000 + i)}` }))] });
  const logins = rows.map((r) => r.login);
  for (const args of [
    ['users', 'import', f],
    ['users', 'agreement', ...logins, '--signed-on', '2024-06-01'],
    ['users', 'login', ...logins, '--password-file', sb.path('pw.txt')],
  ]) {
    const r = await sb.run(args, { env: { XYPZ_ACTOR: 'demo_admin' } });
    if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  }
  const passwords = new Map<string, string>();
  for (const line of readFileSync(sb.path('pw.txt'), 'utf8').trim().split('\n')) {
    const [login, password] = line.split('\t') as [string, string];
    passwords.set(login, password);
  }
  return passwords;
}

/**
 * The server's clock (its today, as XYPZ_TODAY is the CLI's), which stamps what a login enters and decides
 * which months are final for it: set by the schema owner. The templates' clock is TODAY (test/pg-setup.ts).
 */
export async function setServerClock(sb: Sandbox, today: string | null): Promise<void> {
  await sb.sql(`update server_clock set today = ${today === null ? 'null' : `'${today}'`}`);
}

/**
 * The CLI run as `login` with its own password (no --actor: the login is the account), on the day `today`
 * (default TODAY): the server's clock is set to the same day.
 */
export async function runAs(sb: Sandbox, login: string, password: string, args: string[], today = TODAY): Promise<RunResult> {
  await setServerClock(sb, today);
  const url = databaseUrl(new URL(sb.db).pathname.slice(1), { name: login, password });
  return sb.run(args, { env: { XYPZ_DB: url, XYPZ_ACTOR: undefined }, today });
}

/**
 * The logins' connections to the sandbox's database kept between their commands (keepLoginConnections): for a
 * file about what each login may do, where logging in again on every command is not the point.
 */
export function keepLogins(sb: Sandbox): void {
  keepLoginConnections(new URL(sb.db).pathname.slice(1));
}
