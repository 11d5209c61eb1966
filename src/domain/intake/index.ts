export { addDeclaration, answerProblem, caseToDeclare, declarationContext, declarationImportSpec, PLATFORM_COLUMNS, type Question, QUESTIONS, readAnswers, recordDeclaration, stripNumbering, submissionTime } from './declarations.js';
export { RECOMMEND_INSTRUCTIONS, recommendImportSpec } from './recommend-import.js';
export { fillTemplate, verificationReport } from './verify-report.js';
