/** A case-history entry's details in words, for tables and ledgers. */
import { CLASS_LABEL } from '../domain/core/index.js';
import type { LoanDetailKey } from '../domain/service/index.js';

/** Detail keys in words; every key of a loan's details must be here (LoanDetailKey). */
const DETAIL_LABEL: Record<string, string> = {
  dept: '推荐部门',
  reason: '理由',
  over_quota: '超额推荐理由',
  renamed_from: '原名称',
  class: '分类',
  experts: '核查人员',
  authorised: '同意授权查询',
  demand: '融资需求(万元)',
  meeting: '会议日期',
  bank: '主办行',
  from_bank: '原主办行',
  lender: '放贷银行',
  mode: '方式',
  amount: '金额(万元)',
  rate: '利率(%)',
  term_months: '期限(月)',
  guarantee: '担保方式',
  first_loan: '首贷',
  item: '事项',
  org: '承办单位',
  due: '期限',
  note: '说明',
  from: '原分类',
  to: '调整为',
  outcome: '结果',
  rating: '评价',
  filed_on: '报备日期',
  id: '编号',
  loans: '授信放款',
  month: '报送月份',
} satisfies Record<LoanDetailKey, string> & Record<string, string>;

const VALUE_LABEL: Record<string, string> = {
  ...CLASS_LABEL,
  self: '自主选择',
  designated: '协商指定',
  financed: '获得融资',
  withdrawn: '退出',
  satisfied: '满意',
  basically: '基本满意',
  unsatisfied: '不满意',
};

export function describeDetails(d: Record<string, unknown>): string {
  return Object.entries(d)
    .filter(([, v]) => v !== null && v !== undefined && v !== '' && v !== false)
    .map(([k, v]) => {
      const value = Array.isArray(v) ? v.join('、') : v === true ? '是' : (VALUE_LABEL[String(v)] ?? String(v));
      return `${DETAIL_LABEL[k] ?? k}：${value}`;
    })
    .join('；');
}
