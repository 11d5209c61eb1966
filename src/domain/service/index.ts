export { ASSIGN_INSTRUCTIONS, ASSIGN_MODES, assignImportSpec } from './assign-import.js';
export { satisfactionContext, satisfactionImportSpec } from './satisfaction-import.js';
export { addCoachingItem, assignLeadBank, checkItemClosing, checkLoanCase, checkLoanFields, closeCase, closeCoachingItem, GUARANTEE_TYPES, type LoanField, type LoanInput, type LoanRecord, loanRow, parseRating, rateService, RATING_LABEL, reclassify, recordLoan, writeItemClosing } from './service.js';
