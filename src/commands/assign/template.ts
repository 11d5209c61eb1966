/** xypz assign template <out.xlsx>: the blank sheet of lead banks decided by the 联合协商会议. */
import { ASSIGN_INSTRUCTIONS, ASSIGN_MODES } from '../../domain/service/index.js';
import { formTemplateCommand } from '../template.js';

export const command = formTemplateCommand((dir) => ({
  sheet: '主办行',
  title: '信用培植工程企业主办金融机构确定表',
  columns: [
    { title: '序号', width: 6 },
    { title: '统一社会信用代码', width: 22, required: true, text: true },
    { title: '企业名称', width: 32 },
    { title: '主办行', width: 28, required: true, choices: dir.orgs.filter((o) => o.kind === 'bank').map((o) => o.name) },
    { title: '方式', width: 12, choices: Object.keys(ASSIGN_MODES) },
    { title: '日期', width: 12, date: true },
    { title: '更换理由', width: 30 },
  ],
  example: ['示例', '91420703MA4F00001X', '鄂州示例实业有限公司', '中国工商银行鄂州分行', '自主选择', '2024-04-20', null],
  instructions: ASSIGN_INSTRUCTIONS,
}));
