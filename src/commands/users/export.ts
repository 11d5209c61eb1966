import type { Context } from '../../context.js';
import { actorFor, authorize } from '../../domain/actor.js';
import { readScope } from '../../domain/policy.js';
import { Directory } from '../../domain/directory.js';
import { listUsers, recordReveal } from '../../domain/users.js';
import { checkOutputPath } from '../../render/files.js';
import { printJson } from '../../render/output.js';
import { writeUserBook } from '../../render/userbook.js';
import { userSheetRow } from './view.js';

export async function run(ctx: Context, args: unknown[], opts: { district?: string; org?: string; reveal?: boolean }): Promise<void> {
  const out = checkOutputPath(ctx.path(args[0] as string), ['.xlsx']);
  const store = await ctx.store();
  const dir = await Directory.load(store.db);
  const who = await actorFor(ctx, store, 'user.read', {}, dir);
  const reveal = opts.reveal === true;
  if (reveal) authorize(who, 'user.reveal');
  const users = await listUsers(store.db, dir, { district: opts.district, org: opts.org, scope: readScope(who.profile!) });
  if (reveal) await recordReveal(store, who, 'users export', users.map((u) => u.login));
  await writeUserBook(out, dir, users.map((u, i) => userSheetRow(u, dir, reveal, i + 1)), { example: false });
  if (ctx.json) return printJson(ctx, { path: out, users: users.length });
  ctx.out(out);
}
