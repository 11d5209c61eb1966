/** The enterprise list (`xypz enterprise list`): one line per enterprise's current case. */
import type { EnterpriseSummary } from '../domain/enterprises/index.js';
import type { Column } from './output.js';

export const ENTERPRISE_COLUMNS: Column<EnterpriseSummary>[] = [
  { header: '统一社会信用代码', value: (e) => e.code },
  { header: '企业名称', value: (e) => e.name },
  { header: '区域', value: (e) => e.district },
  { header: '阶段', value: (e) => e.stage_label },
  { header: '分类', value: (e) => e.class_label ?? '' },
  { header: '主办行', value: (e) => e.lead_bank ?? '' },
  { header: '推荐日期', value: (e) => e.recommended_on },
];
