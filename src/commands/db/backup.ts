/**
 * xypz db backup <file>: a consistent copy (a SQLite file, mode 0600), even while other processes write;
 * of a server database too.
 */
import { resolve } from 'node:path';
import { backupDatabase, maintainer } from '../../domain/database/index.js';
import { printJson } from '../../render/output.js';
import { openStore } from '../../store/db.js';
import { arg, defineCommand } from '../define.js';
import { maintenanceActor } from '../session.js';

export const command = defineCommand({
  args: { file: arg('文件', '备份文件（不能已存在）') },
  async run(ctx, { file }) {
    const target = resolve(ctx.io.cwd, file);
    const store = await openStore(ctx.dbPath, { ...ctx.dbOptions, allowPending: true });
    try {
      const r = await backupDatabase(store, await maintainer(store, await maintenanceActor(ctx, store)), target);
      if (ctx.json) return printJson(ctx, r);
      ctx.out(`已备份到 ${r.path}（${(r.bytes / 1024).toFixed(0)} KB）`);
    } finally {
      await store.close();
    }
  },
});
