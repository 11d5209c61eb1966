/** In service (docs/workflow.md): what the rest of src/ may use of the lead bank, loans, coaching, ratings and closing. */
export { ASSIGN_INSTRUCTIONS, ASSIGN_MODES, assignImportSpec } from './assign-import.js';
export { closeCase, reclassify } from './close.js';
export { addCoachingItem, checkItemClosing, closeCoachingItem, COACHING_ITEM, refuseEndedItem, writeItemClosings, type ItemReport } from './coaching.js';
export { assignLeadBank } from './lead-bank.js';
export { checkLoanCase, firstLoanRefusal, FirstLoans, GUARANTEE_TYPES, LOAN, loanRow, loanRules, recordLoan, type FirstLoan, type LoanDetailKey, type LoanFieldName, type LoanRecord } from './loans.js';
export { parseRating, rateService, RATING_LABEL } from './satisfaction.js';
export { satisfactionContext, satisfactionImportSpec } from './satisfaction-import.js';
