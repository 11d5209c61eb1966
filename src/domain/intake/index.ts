/** Intake (docs/workflow.md): recommendation, the online declaration, joint verification and its report. */
export { addDeclaration, answerProblem, caseToDeclare, declarationContext, declarationImportSpec, PLATFORM_COLUMNS, QUESTIONS, readAnswers, recordDeclaration, stripNumbering, submissionTime, type Question } from './declarations.js';
export { recommend, recommendableCode, unusedReasonNote } from './recommend.js';
export { RECOMMEND_INSTRUCTIONS, recommendImportSpec } from './recommend-import.js';
export { CASE, RECOMMEND_SHEET, type CaseFieldName, type CaseRecord, type EnterpriseFieldName } from './records.js';
export { fillTemplate, verificationReport } from './verify-report.js';
export { reject, verify } from './verify.js';
