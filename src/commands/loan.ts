import type { Context } from '../context.js';
import { actorFor } from '../domain/actor.js';
import { recordLoan } from '../domain/service.js';
import { DataError, UsageError } from '../errors.js';
import { dateOption } from '../util/dates.js';
import { formatMoney, moneyError, parseMoney } from '../util/money.js';
import { printJson } from '../render/output.js';

interface Opts {
  kind?: string;
  amount?: string;
  date?: string;
  rate?: string;
  term?: string;
  guarantee?: string;
  firstLoan?: boolean;
  bank?: string;
}

export async function run(ctx: Context, args: unknown[], opts: Opts): Promise<void> {
  if (opts.kind !== 'credit' && opts.kind !== 'disbursement') throw new UsageError('--kind 应为 credit（授信）或 disbursement（放款）');
  if (opts.amount === undefined) throw new UsageError('缺少必填选项 --amount（万元）');
  const cents = parseMoney(opts.amount);
  if (cents === undefined) throw new DataError(moneyError('--amount', opts.amount));
  const date = dateOption(opts.date, ctx.today(), '--date');
  const store = await ctx.store();
  const who = await actorFor(ctx, store);
  const r = await recordLoan(store, who, { code: args[0] as string, kind: opts.kind, amountCents: cents, date, rate: opts.rate, term: opts.term, guarantee: opts.guarantee, firstLoan: opts.firstLoan, bank: opts.bank });
  if (ctx.json) return printJson(ctx, { id: r.id, code: r.case.enterprise_code, kind: opts.kind, amount: formatMoney(cents), bank: r.bank, date });
  ctx.out(`已登记${opts.kind === 'credit' ? '授信' : '放款'}：${r.case.name}，${r.bank}，${formatMoney(cents)} 万元（${date}）`);
}
