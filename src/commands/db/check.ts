/** xypz db check: integrity, schema version and file permissions (no account needed). */
import { DataError } from '../../errors.js';
import { printJson } from '../../render/output.js';
import { openStore } from '../../store/db.js';
import { checkStore } from '../../store/maintenance.js';
import { defineCommand } from '../define.js';

export const command = defineCommand({
  async run(ctx) {
    const store = openStore(ctx.dbPath, { allowPending: true });
    try {
      const r = checkStore(store);
      const ok = r.integrity.length === 1 && r.integrity[0] === 'ok' && r.foreign_key_errors === 0;
      if (ctx.json) printJson(ctx, { ok, ...r });
      else {
        ctx.out(`数据库：${r.path}`);
        ctx.out(`完整性：${ok ? '正常' : `异常（${r.integrity.slice(0, 5).join('；')}${r.foreign_key_errors ? `；外键错误 ${r.foreign_key_errors} 处` : ''}）`}`);
        ctx.out(`结构版本：${r.schema_version}（本程序 ${r.expected_version}）`);
        ctx.out(`文件权限：${r.mode}`);
        for (const w of r.warnings) ctx.err(`警告：${w}`);
      }
      if (!ok) throw new DataError('数据库完整性检查未通过：请用最近的备份恢复（xypz db restore）');
    } finally {
      await store.close();
    }
  },
});
