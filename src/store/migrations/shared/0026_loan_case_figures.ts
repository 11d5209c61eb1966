/**
 * Frozen: the loans of each case with every column the loan figures read (bench/report.mjs, province scale).
 *
 * loan_case_figures replaces loan_case_kind (case_id, kind, loan_on, amount_cents), a prefix of it, adding
 * first_loan: the annual report's 开展以来累计 loan counts sum every loan up to the year's end per case
 * (loanCounts), and with first_loan in the index they read the index alone, in case order, without sorting the
 * loans or visiting the table; the 首贷 check (no earlier flagged disbursement of the firm) reads it too.
 */
import type { SharedMigration } from '../kit.js';

export const up: SharedMigration['up'] = async (db) => {
  await db.schema.createIndex('loan_case_figures').on('loan').columns(['case_id', 'kind', 'loan_on', 'amount_cents', 'first_loan']).execute();
  await db.schema.dropIndex('loan_case_kind').execute();
};
