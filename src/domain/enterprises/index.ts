export { type CaseDetail, caseSummary, type EnterpriseSummary, enterpriseDetail, listEnterprises, OUTCOME_LABEL, readableCase } from './enterprises.js';
export { coachingList, type CoachView, districtLedger, type LedgerRow } from './ledger.js';
