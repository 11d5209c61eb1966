/**
 * xypz db restore <file>: replaces the database by a checked backup (a SQLite file, also for a server
 * database); the replaced file is kept beside it, a replaced server schema under another name.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Actor } from '../../domain/core/index.js';
import { describeBackup, maintainer, restoreDatabase } from '../../domain/database/index.js';
import { NotFoundError } from '../../errors.js';
import { printJson } from '../../render/output.js';
import { confirm } from '../../render/prompt.js';
import { databaseExists, isServerUrl, openStore } from '../../store/db.js';
import { arg, defineCommand } from '../define.js';
import { baseActor, maintenanceActor } from '../session.js';
import { fileStamp } from '../../util/filenames.js';

export const command = defineCommand({
  args: { file: arg('文件', '备份文件') },
  async run(ctx, { file }) {
    const backup = resolve(ctx.io.cwd, file);
    if (!existsSync(backup)) throw new NotFoundError(`找不到备份文件 ${backup}`);
    let who: Actor = baseActor(ctx);
    if (await databaseExists(ctx.dbPath, ctx.dbOptions)) {
      const current = await openStore(ctx.dbPath, { ...ctx.dbOptions, allowPending: true });
      try {
        who = await maintainer(current, await maintenanceActor(ctx, current));
      } finally {
        await current.close();
      }
    }
    const info = await describeBackup(backup);
    await confirm(ctx, `用 ${backup}（结构版本 ${info.schema_version}，审计记录 ${info.audit_entries} 条）替换 ${ctx.dbLabel}？`);
    const stamp = fileStamp(ctx.now());
    const { kept } = await restoreDatabase(ctx.dbPath, backup, who, stamp, ctx.dbOptions);
    if (ctx.json) return printJson(ctx, { restored_from: backup, kept });
    ctx.out(`已恢复 ${ctx.dbLabel}。${kept ? `原${isServerUrl(ctx.dbPath) ? '数据保留为 schema ' : '文件保留为 '}${kept}` : ''}`);
  },
});
