/** xypz recommend: a member department recommends an enterprise (asks for what is missing on a terminal). */
import { recommend, recommendableCode, unusedReasonNote } from '../domain/intake/index.js';
import { QUOTA_PER_YEAR, recommendingDepartments, recommendingDistricts } from '../domain/core/index.js';
import { printJson } from '../render/output.js';
import { askChoice, askText, correctionOpt, dateOpt, defineCommand, flag, text, type Asker } from './define.js';
import { session } from './session.js';
import { visible } from '../util/text.js';

/** Choices narrowed to what the actor may do: its districts, then its departments in the district chosen. */
const askDistrict: Asker = async (ctx, answers) => {
  const { dir, who } = await session(ctx);
  return askChoice('所属区域', recommendingDistricts(dir, who).map((d) => ({ name: d.name, value: d.code })))(ctx, answers);
};

const askDept: Asker = async (ctx, answers) => {
  const { dir, who } = await session(ctx);
  const depts = recommendingDepartments(dir, who, dir.district(String(answers.district)));
  return askChoice('推荐部门', depts.map((o) => ({ name: o.name, value: o.code })))(ctx, answers);
};

export const command = defineCommand({
  description: `成员部门推荐企业（每个部门每区每年原则上不超过 ${QUOTA_PER_YEAR} 家）`,
  options: {
    code: text('--code <统一社会信用代码>', '企业的统一社会信用代码')
      .required()
      .ask(async (ctx, a) => {
        const { store, dir, who } = await session(ctx);
        return askText('统一社会信用代码', (v) => recommendableCode(store.db, dir, who, v, a.allowBadCheck === true))(ctx, a);
      }),
    name: text('--name <企业名称>', '企业名称').required(),
    district: text('--district <区域>', '企业所在区').required().ask(askDistrict),
    dept: text('--dept <部门>', '推荐部门：类别（如 经信）或名称').required().ask(askDept),
    date: dateOpt('--date <日期>', '推荐日期（默认今天）'),
    reason: text('--reason <理由>', '推荐理由'),
    overQuota: text('--over-quota <理由>', `超过每年 ${QUOTA_PER_YEAR} 家时的理由（超额时记录并在报表中统计；未超额时不记录，会提示）`),
    allowBadCheck: flag('--allow-bad-check', '接受校验位不符的早期试点代码'),
    correction: correctionOpt(),
  },
  async run(ctx, _args, opts) {
    const { store, who } = await session(ctx);
    const r = await recommend(store, who, { ...opts });
    // A reason the quota did not need is not recorded: said on stderr and in the JSON, never dropped silently.
    const warnings = r.reasonUnused ? [unusedReasonNote(r, opts.date.slice(0, 4), '--over-quota 的理由')] : [];
    if (ctx.json) printJson(ctx, { code: r.code, name: r.name, district: r.district, dept: r.dept, date: opts.date, stage: 'recommended', over_quota: r.overQuota, warnings });
    else {
      ctx.out(`已登记：${visible(r.dept)}推荐${visible(r.name)}（${r.code}，${visible(r.district)}，${opts.date}）${r.overQuota ? '——超额推荐，理由已记录' : ''}`);
      ctx.out('下一步：企业网上申报（xypz declare import 导入问卷导出表，或 xypz declare add）');
    }
    for (const w of warnings) ctx.err(`提示：${w}`);
  },
});

