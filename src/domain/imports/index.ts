export { type ErrorCopy, type ImportOptions, ImportRejected, type ImportResult, runImport } from './run.js';
export { type Counts, type FileScope, formatProblem, type HeaderRows, type ImportSpec, type Item, type Loc, type Problem, type RowReader, type SheetSpec } from './spec.js';
