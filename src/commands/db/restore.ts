import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Context } from '../../context.js';
import { NotFoundError } from '../../errors.js';
import { actorFor, audit, type Actor } from '../../domain/actor.js';
import { openStore } from '../../store/db.js';
import { inspectBackup, restoreStore } from '../../store/maintenance.js';
import { confirm } from '../../render/prompt.js';
import { printJson } from '../../render/output.js';

export async function run(ctx: Context, args: unknown[]): Promise<void> {
  const backup = resolve(ctx.io.cwd, args[0] as string);
  if (!existsSync(backup)) throw new NotFoundError(`找不到备份文件 ${backup}`);
  // Only an administrator of the database being replaced may replace it.
  let who: Actor | undefined;
  if (existsSync(ctx.dbPath)) {
    const current = openStore(ctx.dbPath, { allowPending: true });
    try {
      who = await actorFor(ctx, current, 'db.admin');
    } finally {
      await current.close();
    }
  }
  const info = inspectBackup(backup);
  await confirm(ctx, `用 ${backup}（结构版本 ${info.schema_version}，审计记录 ${info.audit_entries} 条）替换 ${ctx.dbPath}？`);
  const stamp = ctx.now().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  const { kept } = restoreStore(ctx.dbPath, backup, stamp);
  const store = openStore(ctx.dbPath, { allowPending: true });
  try {
    const actor: Actor = who ?? { login: ctx.actor, command: ctx.command, now: ctx.now(), today: ctx.today() };
    await store.write((tx) => audit(tx, actor, [{ entity: 'database', after: { restored_from: backup, kept } }]));
  } finally {
    await store.close();
  }
  if (ctx.json) return printJson(ctx, { restored_from: backup, kept });
  ctx.out(`已恢复 ${ctx.dbPath}。${kept ? `原文件保留为 ${kept}` : ''}`);
}
