/** xypz users batches: every import of account sheets (files, sha256, counts, actor, reviewer). */
import { listBatches } from '../../domain/accounts/index.js';
import { printList } from '../../render/output.js';
import { defineCommand } from '../define.js';
import { session } from '../session.js';

export const command = defineCommand({
  async run(ctx) {
    const { store, dir, who } = await session(ctx);
    const rows = await listBatches(store.db, who, 'users');
    const files = (f: string) => JSON.parse(f) as { name: string; sha256: string; rows: number }[];
    await printList(
      ctx,
      rows,
      [
        { header: '批次', value: (b) => b.id, align: 'right' },
        { header: '时间', value: (b) => b.created_at.slice(0, 19).replace('T', ' ') },
        { header: '文件', value: (b) => files(b.files).map((f) => `${f.name}（${f.sha256.slice(0, 8)}）`).join('，'), max: 60 },
        { header: '新增', value: (b) => b.added, align: 'right' },
        { header: '更新', value: (b) => b.updated, align: 'right' },
        { header: '未变', value: (b) => b.unchanged, align: 'right' },
        { header: '拒绝', value: (b) => b.rejected, align: 'right' },
        { header: '操作人', value: (b) => b.actor },
        { header: '审核单位', value: (b) => (b.reviewer_org_id ? dir.orgByIdOrThrow(b.reviewer_org_id).name : '') },
      ],
      (b) => ({
        id: b.id,
        created_at: b.created_at,
        files: files(b.files),
        added: b.added,
        updated: b.updated,
        unchanged: b.unchanged,
        rejected: b.rejected,
        actor: b.actor,
        reviewer: b.reviewer_org_id ? dir.orgByIdOrThrow(b.reviewer_org_id).name : null,
      }),
      { empty: '还没有导入过账号' },
    );
  },
});
