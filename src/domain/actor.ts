/** Who is acting, and when: passed to every domain function that changes data. */
import type { Kysely } from 'kysely';
import type { Context } from '../context.js';
import { appendAudit, type AuditInput } from '../store/audit.js';
import type { DB } from '../store/schema.js';

export interface Actor {
  login: string;
  /** The command as typed, e.g. "org add". */
  command: string;
  now: Date;
  /** ISO date of today (XYPZ_TODAY wins): the default of every date. */
  today: string;
}

export function actorOf(ctx: Context): Actor {
  return { login: ctx.actor, command: ctx.command, now: ctx.now(), today: ctx.today() };
}

/** Writes audit entries for the actor, in the caller's transaction. */
export function audit(tx: Kysely<DB>, who: Actor, entries: Omit<AuditInput, 'actor' | 'command'>[]): Promise<void> {
  return appendAudit(
    tx,
    who.now,
    entries.map((e) => ({ ...e, actor: who.login, command: who.command })),
  );
}
