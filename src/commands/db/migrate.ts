/** xypz db migrate: applies this version's schema changes, keeping every record. */
import { maintainer, migrateDatabase } from '../../domain/database/index.js';
import { printJson } from '../../render/output.js';
import { openStore } from '../../store/db.js';
import { defineCommand } from '../define.js';
import { maintenanceActor } from '../session.js';

export const command = defineCommand({
  async run(ctx) {
    const store = await openStore(ctx.dbPath, { ...ctx.dbOptions, allowPending: true });
    try {
      const { applied, version } = await migrateDatabase(store, await maintainer(store, await maintenanceActor(ctx, store)));
      if (ctx.json) return printJson(ctx, { applied, schema_version: version });
      ctx.out(applied.length > 0 ? `已升级数据库结构：${applied.join('、')}（版本 ${version}）` : `数据库结构已是最新（版本 ${version}），未做改动`);
    } finally {
      await store.close();
    }
  },
});
