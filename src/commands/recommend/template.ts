/** xypz recommend template <out.xlsx>: the blank 推荐名单 with drop-downs and instructions. */
import { RECOMMEND_INSTRUCTIONS } from '../../domain/intake/index.js';
import { formTemplateCommand } from '../template.js';

export const command = formTemplateCommand((dir) => ({
  sheet: '推荐名单',
  title: '信用培植工程企业推荐名单',
  columns: [
    { title: '序号', width: 6 },
    { title: '统一社会信用代码', width: 22, required: true, text: true },
    { title: '企业名称', width: 32, required: true },
    { title: '所在区', width: 22, required: true, choices: dir.districts.map((d) => d.name) },
    { title: '推荐部门', width: 30, required: true, choices: dir.orgs.filter((o) => o.kind === 'department').map((o) => o.name) },
    { title: '推荐日期', width: 12, date: true },
    { title: '推荐理由', width: 30 },
    { title: '超额理由', width: 30 },
  ],
  example: ['示例', '91420703MA4F00001X', '鄂州示例实业有限公司', '华容区', '华容区经济和信息化局', '2024-03-01', '订单增长，流动资金不足', null],
  instructions: RECOMMEND_INSTRUCTIONS,
}));
