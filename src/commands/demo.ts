/**
 * xypz demo: builds a demo database (default ./demo.db; --db to choose) through the real domain functions,
 * then says what to try. A database already there is replaced only with --yes, and kept as `db restore`
 * keeps one (`<file>.replaced-<time>`, or the schema `xypz_replaced_<time>` on a server).
 */
import { existsSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import { buildDemo } from '../domain/demo/index.js';
import { STAGE_LABEL } from '../domain/core/index.js';
import { UsageError } from '../errors.js';
import { databaseExists, isServerUrl, openStore, type OpenOptions } from '../store/db.js';
import { printJson } from '../render/output.js';
import type { Stage } from '../store/schema.js';
import { defineCommand } from './define.js';

/** Opens what is there (and closes it): a file that is no xypz database is refused, never replaced. */
async function checkReplaceable(path: string, opts: OpenOptions): Promise<void> {
  const store = await openStore(path, { ...opts, allowPending: true });
  await store.close();
}

export const command = defineCommand({
  async run(ctx) {
    const path = ctx.dbGiven ? ctx.dbPath : join(ctx.io.cwd, 'demo.db');
    const shown = ctx.dbGiven ? ctx.dbLabel : path;
    const server = isServerUrl(path);
    if (await databaseExists(path, ctx.dbOptions)) {
      if (!ctx.yes) {
        const kept = server ? '原数据保留为 schema xypz_replaced_<时间>' : `原文件保留为 ${basename(path)}.replaced-<时间>`;
        throw new UsageError(`${shown} 已有数据库，未做改动：请用 --db 指定另一个路径（如 --db demo-2.db），或加 --yes 替换它（${kept}）`);
      }
      await checkReplaceable(path, ctx.dbOptions);
    }
    if (!ctx.json) ctx.err('正在生成演示数据库（约 90 家企业、一年的办理记录）……');
    const s = await buildDemo(path, { now: ctx.now(), today: ctx.today() }, ctx.dbOptions);
    if (ctx.json) return printJson(ctx, { db: shown, ...s });
    const stages = Object.entries(s.byStage)
      .map(([k, v]) => `${STAGE_LABEL[k as Stage]} ${v}`)
      .join('，');
    const db = path === join(ctx.io.cwd, 'demo.db') ? 'demo.db' : shown;
    ctx.out(`已生成演示数据库 ${shown}：${s.enterprises} 家企业（${stages}），融资记录 ${s.loans} 笔，辅导事项 ${s.coachingItems} 项，月度反馈 ${s.feedback} 条。`);
    if (s.kept) ctx.out(`原${server ? '数据保留为 schema ' : '数据库保留为 '}${s.kept}`);
    ctx.out('');
    ctx.out('接下来可以试试（演示管理员账号 demo_admin）：');
    ctx.out(`  export XYPZ_DB=${db} XYPZ_ACTOR=demo_admin`);
    const x = invokedAs(ctx.io.env);
    const hint = (cmd: string, note = '') => ctx.out(`  ${`${x} ${cmd}`.padEnd(38)}${note ? ` # ${note}` : ''}`.trimEnd());
    hint('pool show', '各区名单、空缺和候选企业');
    hint('enterprise list --district 华容区');
    hint(`ledger ${s.sampleCode}`, '一家企业的全部办理记录');
    hint('coach list --overdue', '逾期的辅导事项');
    hint('report monthly', '上月月报');
    hint('report overdue', '督办清单');
    hint('audit verify', '审计日志完整性');
  },
});

/**
 * How the hints run xypz as printed: `xypz` when it is installed on the PATH (and not merely put there by
 * npx for this one run), else `npx xypz`, as from the checkout before installing.
 */
export function invokedAs(env: Record<string, string | undefined>): string {
  if (env.npm_command === 'exec') return 'npx xypz';
  const onPath = (env.PATH ?? '').split(delimiter).some((d) => d !== '' && existsSync(join(d, 'xypz')));
  return onPath ? 'xypz' : 'npx xypz';
}

