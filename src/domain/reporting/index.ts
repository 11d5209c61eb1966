export { DETAIL_NOTE, type EnterpriseAtEnd, enterprisesAtEnd, type OtherLender } from './enterprise-detail.js';
export { BANK_NOTE, columnFigures, type FigureDef, FIGURES, figuresOf, GROUPS, REPORT_NOTES, type RowKind, runsOf, TOTAL_RULE_TEXT } from './figure-table.js';
export { type BankFigures, type Figures } from './figures.js';
export { type Overdue, overdueFor } from './overdue.js';
export { PART_LABEL, RANKING_RULES, type RankRow } from './ranking.js';
export { monthlyTrend, periodicReport, reportDocument, reportRegion, type TrendPoint } from './reports.js';
