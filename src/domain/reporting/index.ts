/** Reports (docs/figures.md): the figure table and its figures, the enterprise detail, the ranking and the 督办清单. */
export { DETAIL_NOTE, enterprisesAtEnd, type EnterpriseAtEnd, type OtherLender } from './enterprise-detail.js';
export { BANK_NOTE, columnFigures, FIGURES, figuresOf, GROUPS, labelled, REPORT_NOTES, runsOf, SPAN_WORD, TOTAL_RULE_TEXT, type FigureDef, type RowKind } from './figure-table.js';
export type { BankFigures, Figures } from './figures.js';
export { overdueFor, overdueMonth, type Overdue } from './overdue.js';
export { NOT_RANKED, PART_LABEL, RANKING_RULES, type RankRow } from './ranking.js';
export { monthlyTrend, periodicReport, reportDocument, reportRegion, type PeriodicReport, type ReportStatus, type TrendPoint } from './reports.js';
export type { FigureChange, Revision } from './revisions.js';
