/** xypz coach add <code> --item --org: a coaching item forwarded to one department (or the lead bank). */
import { coachingOrgs } from '../../domain/core/index.js';
import { coachingList, readableCase } from '../../domain/enterprises/index.js';
import { addCoachingItem } from '../../domain/service/index.js';
import { printJson } from '../../render/output.js';
import { askChoice, codeArg, correctionOpt, dateOpt, defineCommand, optionalDateOpt, text, type Asker } from '../define.js';
import { session } from '../session.js';
import { coachJson } from './view.js';
import { visible } from '../../util/text.js';

/** The departments of the firm's district and of the city, and its lead bank. */
const askOrg: Asker = async (ctx, answers) => {
  const { store, dir, who } = await session(ctx);
  const c = await readableCase(store.db, dir, who, String(answers.code));
  return askChoice('承办单位', coachingOrgs(dir, c).map((o) => ({ name: o.name, value: o.code })))(ctx, answers);
};

export const command = defineCommand({
  args: { code: codeArg() },
  options: {
    item: text('--item <事项>', '事项，如 补办环评手续').required(),
    org: text('--org <单位>', '承办的政府部门（如 财政：本企业所在区的财政局）或本企业的主办行').required().ask(askOrg),
    category: text('--category <类别>', '类别，如 环保'),
    due: optionalDateOpt('--due <日期>', '期限'),
    date: dateOpt('--date <日期>', '添加日期（默认今天）'),
    correction: correctionOpt(),
  },
  async run(ctx, { code }, opts) {
    const { store, dir, who } = await session(ctx);
    const r = await addCoachingItem(store, who, { code, ...opts });
    const [view] = (await coachingList(store.db, dir, who, { code: r.case.enterprise_code })).filter((i) => i.id === r.id);
    if (ctx.json) return printJson(ctx, coachJson(view!));
    ctx.out(`已添加辅导事项 #${r.id}：${visible(r.case.name)}「${visible(opts.item)}」→ ${visible(r.org)}${opts.due ? `，期限 ${opts.due}` : ''}`);
  },
});
