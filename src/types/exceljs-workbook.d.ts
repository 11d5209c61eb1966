// exceljs's Workbook class on its own (its package's index also loads the streaming reader and writer, with
// their zip libraries, which writing a workbook in memory never uses).
declare module 'exceljs/lib/doc/workbook.js' {
  import type { Workbook } from 'exceljs';
  const WorkbookClass: typeof Workbook;
  export default WorkbookClass;
}
