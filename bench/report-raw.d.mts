// Types of report-raw.mjs, for test/sqlite-report-raw.test.ts, which checks its statements against the store's.
export interface Span {
  start: string;
  end: string;
  months: string[];
}
export interface Statement {
  name: string;
  sql: string;
  params: unknown[];
}
export function monthSpan(label: string): Span;
export function statements(span: Span): Statement[];
