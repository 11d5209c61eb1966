/** The one spreadsheet import: what an import spec is (spec.ts), reading a batch (parse.ts) and running it (run.ts). */
export { ImportRejected, runImport, type ErrorCopy, type ImportOptions, type ImportResult } from './run.js';
export { formatProblem, type Counts, type FileScope, type HeaderRows, type ImportSpec, type Item, type Loc, type Problem, type RowReader, type SheetSpec } from './spec.js';
