import type { Context } from '../../context.js';
import { actorFor } from '../../domain/actor.js';
import { hasTable, migrate, openStore } from '../../store/db.js';
import { printJson } from '../../render/output.js';
import { SCHEMA_VERSION } from '../../store/migrations/index.js';

export async function run(ctx: Context): Promise<void> {
  const store = openStore(ctx.dbPath, { allowPending: true });
  try {
    // A database from before accounts existed has nobody to check against.
    if (hasTable(store, 'app_user')) await actorFor(ctx, store, 'db.admin');
    const applied = await migrate(store);
    if (ctx.json) return printJson(ctx, { applied, schema_version: SCHEMA_VERSION });
    ctx.out(applied.length > 0 ? `已升级数据库结构：${applied.join('、')}（版本 ${SCHEMA_VERSION}）` : `数据库结构已是最新（版本 ${SCHEMA_VERSION}），未做改动`);
  } finally {
    await store.close();
  }
}
