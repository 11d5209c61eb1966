/** xypz enterprise show <code>: every case of the enterprise, newest first: stage, next step, declared answers and history. */
import { QUESTIONS } from '../../domain/intake/index.js';
import { enterpriseDetail, readableCase, type CaseDetail } from '../../domain/enterprises/index.js';
import { describeDetails } from '../../render/history.js';
import { printJson, renderPairs, renderTable } from '../../render/output.js';
import type { Context } from '../../context.js';
import { codeArg, defineCommand } from '../define.js';
import { session } from '../session.js';
import { visible } from '../../util/text.js';

export const command = defineCommand({
  args: { code: codeArg() },
  async run(ctx, { code }) {
    const { store, dir, who } = await session(ctx);
    const c = await readableCase(store.db, dir, who, code);
    const d = await enterpriseDetail(store.db, dir, who, c);
    if (ctx.json) return printJson(ctx, d);
    ctx.out(`${visible(d.name)}（${d.code}）`);
    // One case: as it always was. Several (rejected or closed, then recommended again): a section each, newest first.
    if (d.cases.length === 1) return showCase(ctx, d.cases[0]!);
    ctx.out(`共 ${d.cases.length} 次推荐办理，最近的在前`);
    for (const [i, x] of d.cases.entries()) {
      ctx.out('');
      ctx.out(`── 第 ${d.cases.length - i} 次：${x.recommended_on} 推荐，${x.stage_label}${x.current ? '（当前）' : ''} ──`);
      await showCase(ctx, x);
    }
  },
});

async function showCase(ctx: Context, d: CaseDetail): Promise<void> {
  ctx.out(`区域：${visible(d.district)}　推荐：${visible(d.recommended_by)}（${d.recommended_on}）`);
  ctx.out(`阶段：${d.stage_label}${d.class_label ? `　分类：${d.class_label}` : ''}${d.lead_bank ? `　主办行：${visible(d.lead_bank)}` : ''}`);
  if (d.over_quota_reason) ctx.out(`超额推荐理由：${visible(d.over_quota_reason)}`);
  if (d.verification?.result === 'rejected' && d.verification.reason) ctx.out(`未入选理由：${visible(d.verification.reason)}（${d.verification.verified_on}）`);
  if (d.loans.length > 0) ctx.out(`授信合计：${d.credit_total} 万元　放款合计：${d.disbursement_total} 万元`);
  if (d.coaching.length > 0) {
    const ended = d.coaching.filter((i) => i.status === 'ended').length;
    ctx.out(`辅导事项：${d.coaching.filter((i) => i.status === 'open').length} 项未办结${ended > 0 ? `、${ended} 项随企业办结终止` : ''} / 共 ${d.coaching.length} 项`);
  }
  if (d.current) ctx.out(`下一步：${visible(d.next_step)}`);
  if (d.declaration) {
    const answers = d.declaration as Record<string, unknown>;
    const shown = (v: unknown) => (Array.isArray(v) ? v.join('、') : v === null || v === undefined ? '' : String(v));
    ctx.out(`申报内容（${answers.submitted_on}）：`);
    ctx.out(renderPairs(ctx, QUESTIONS.map((q) => [`  ${q.title}`, shown(answers[q.key])])));
  }
  ctx.out(
    await renderTable(
      ctx,
      d.history,
      [
        { header: '日期', value: (h) => h.date },
        { header: '事项', value: (h) => h.label },
        { header: '操作人', value: (h) => h.actor },
        { header: '说明', value: (h) => describeDetails(h.details), max: 60 },
      ],
      { title: '办理记录' },
    ),
  );
}
