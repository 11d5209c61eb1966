/** xypz loan <code> --kind credit|disbursement --amount: a 授信 or 放款 of a financing-ready firm. */
import { recordLoan } from '../domain/service/index.js';
import { DataError } from '../errors.js';
import { printJson } from '../render/output.js';
import { formatMoney, moneyError, parseMoney } from '../util/money.js';
import { codeArg, correctionOpt, dateOpt, defineCommand, flag, text } from './define.js';
import { session } from './session.js';
import { visible } from '../util/text.js';

const KIND_LABEL = { credit: '授信', disbursement: '放款' } as const;

export const command = defineCommand({
  args: { code: codeArg() },
  options: {
    kind: text('--kind <类型>', 'credit（授信）或 disbursement（放款）').choices(['credit', 'disbursement'] as const).required(),
    amount: text('--amount <万元>', '金额，万元，最多两位小数')
      .parse((raw) => {
        const cents = parseMoney(raw);
        if (cents === undefined) throw new DataError(moneyError('--amount', raw));
        return cents;
      })
      .required(),
    date: dateOpt(),
    correction: correctionOpt(),
    rate: text('--rate <%>', '年利率，如 3.95'),
    term: text('--term <月>', '期限（月）'),
    guarantee: text('--guarantee <方式>', '信用 / 保证 / 抵押 / 质押'),
    firstLoan: flag('--first-loan', '首贷（首次从银行获得贷款）'),
    bank: text('--bank <银行>', '放贷银行（默认主办行）'),
  },
  async run(ctx, { code }, opts) {
    const { store, who } = await session(ctx);
    const r = await recordLoan(store, who, { code, ...opts });
    if (ctx.json) return printJson(ctx, { id: r.id, code: r.case.enterprise_code, kind: opts.kind, amount: formatMoney(opts.amount), bank: r.bank, date: opts.date });
    ctx.out(`已登记${KIND_LABEL[opts.kind]}：${visible(r.case.name)}，${visible(r.bank)}，${formatMoney(opts.amount)} 万元（${opts.date}）`);
  },
});
