/**
 * Who acts, for a command: the account named by --actor / XYPZ_ACTOR, loaded once with the directory. The
 * domain receives the resulting `Actor` and checks every permission itself.
 */
import type { Context } from '../context.js';
import { Directory, loadProfile, type Actor } from '../domain/core/index.js';
import type { Store } from '../store/db.js';

export interface Session {
  store: Store;
  dir: Directory;
  who: Actor;
}

/** The actor as named, before its account is loaded (init, which runs before any account exists; db maintenance). */
export function baseActor(ctx: Context, login = ctx.actor): Actor {
  return { login, command: ctx.command, now: ctx.now(), today: ctx.today() };
}

/** The account that acts on this database: the one named, or on a server the login (see Store.account). */
export async function actingLogin(ctx: Context, store: Store): Promise<string> {
  return store.account(ctx.actor, ctx.actorGiven);
}

/** The actor of db maintenance: named as for any command, its account loaded by the maintenance code. */
export async function maintenanceActor(ctx: Context, store: Store): Promise<Actor> {
  return baseActor(ctx, await actingLogin(ctx, store));
}

/** The acting account (exit 5 if unknown, 4 if disabled or without a signed agreement). */
export async function actorFor(ctx: Context, store: Store, dir?: Directory): Promise<Actor> {
  const profile = await loadProfile(store.db, await actingLogin(ctx, store), dir);
  return { login: profile.login, command: ctx.command, now: ctx.now(), today: ctx.today(), profile };
}

const loaded = new WeakMap<Context, Promise<Session>>();

/**
 * Opens the database, loads the directory and the acting account: once per command run (the questions a
 * command asks each need them, and so does its run), with the clock read again at each call.
 */
export async function session(ctx: Context): Promise<Session> {
  let once = loaded.get(ctx);
  if (!once) {
    once = (async () => {
      const store = await ctx.store();
      const dir = await Directory.load(store.db);
      return { store, dir, who: await actorFor(ctx, store, dir) };
    })();
    loaded.set(ctx, once);
  }
  const { store, dir, who } = await once;
  return { store, dir, who: { ...who, now: ctx.now(), today: ctx.today() } };
}
