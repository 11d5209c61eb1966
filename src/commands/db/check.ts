/** xypz db check: integrity, schema (exactly the program's; on a server also the groups' access), version and file permissions (no account needed). */
import { DataError } from '../../errors.js';
import { printJson } from '../../render/output.js';
import { openStore } from '../../store/db.js';
import { checkStore } from '../../store/maintenance.js';
import { defineCommand } from '../define.js';
import { actingLogin } from '../session.js';

export const command = defineCommand({
  async run(ctx) {
    const store = await openStore(ctx.dbPath, { ...ctx.dbOptions, allowPending: true });
    try {
      if (ctx.actorGiven) await actingLogin(ctx, store); // on a server, --actor must be the login
      const r = await checkStore(store);
      const intact = r.integrity.length === 1 && r.integrity[0] === 'ok' && r.foreign_key_errors === 0;
      const ok = intact && r.schema_problems.length === 0;
      if (ctx.json) printJson(ctx, { ok, ...r });
      else {
        ctx.out(`数据库：${r.path}`);
        ctx.out(`完整性：${intact ? '正常' : `异常（${r.integrity.slice(0, 5).join('；')}${r.foreign_key_errors ? `；外键错误 ${r.foreign_key_errors} 处` : ''}）`}`);
        ctx.out(`结构：${r.schema_problems.length === 0 ? '与本程序定义的一致' : `不一致（${r.schema_problems.slice(0, 5).join('；')}${r.schema_problems.length > 5 ? `；等 ${r.schema_problems.length} 处` : ''}）`}`);
        ctx.out(`结构版本：${r.schema_version}（本程序 ${r.expected_version}）`);
        if (r.mode !== null) ctx.out(`文件权限：${r.mode}`);
        for (const w of r.warnings) ctx.err(`警告：${w}`);
      }
      if (!intact) throw new DataError('数据库完整性检查未通过：请用最近的备份恢复（xypz db restore）');
      if (!ok) {
        throw new DataError(
          `数据库含有本程序没有定义的结构（${r.schema_problems[0]}${r.schema_problems.length > 1 ? ` 等 ${r.schema_problems.length} 处` : ''}），可能被人改动过，其中的触发器会在下次写入时执行：请停止使用，用可信的备份恢复（xypz db restore）`,
          r.schema_problems.map((message) => ({ message })),
        );
      }
    } finally {
      await store.close();
    }
  },
});
