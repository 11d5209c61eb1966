/** Looking at enterprises: the list, one firm's record, the 工作台账 and the coaching list. */
export { caseSummary, enterpriseDetail, listEnterprises, OUTCOME_LABEL, readableCase, type CaseDetail, type EnterpriseSummary } from './enterprises.js';
export { cityLedger, coachingList, districtLedger, type CoachView, type LedgerRow } from './ledger.js';
