/** xypz recommend template <out.xlsx>: the blank 推荐名单 with drop-downs and instructions. */
import { RECOMMEND_INSTRUCTIONS, RECOMMEND_SHEET } from '../../domain/intake/index.js';
import type { FormColumn } from '../../render/formbook.js';
import { formTemplateCommand } from '../template.js';

export const command = formTemplateCommand((dir) => {
  /** What the template adds to a column of the sheet: the code kept as text, drop-downs, a date format. */
  const more: Record<string, Partial<FormColumn>> = {
    code: { text: true },
    district: { choices: dir.districts.map((d) => d.name) },
    dept: { choices: dir.orgs.filter((o) => o.kind === 'department').map((o) => o.name) },
    date: { date: true },
  };
  return {
    sheet: '推荐名单',
    title: '信用培植工程企业推荐名单',
    columns: RECOMMEND_SHEET.map((c) => ({ title: c.title, width: c.width!, ...(c.required ? { required: true } : {}), ...more[c.key] })),
    example: ['示例', '91420703MA4F00001X', '鄂州示例实业有限公司', '华容区', '华容区经济和信息化局', '2024-03-01', '订单增长，流动资金不足', null],
    instructions: RECOMMEND_INSTRUCTIONS,
  };
});
