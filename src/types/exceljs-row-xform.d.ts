// exceljs's writer of a sheet row (and its cells), which src/render/xlsx-rows.ts teaches to write a table's body
// at once.
declare module 'exceljs/lib/xlsx/xform/sheet/row-xform.js' {
  const RowXform: {
    prototype: {
      prepare(model: unknown, options: unknown): void;
      render(xml: { writeXml(xml: string): void }, model: unknown, options?: unknown): void;
    };
  };
  export default RowXform;
}

// exceljs's helpers: its XML escaping, which the shared strings written in xlsx.ts use as exceljs does.
declare module 'exceljs/lib/utils/utils.js' {
  const utils: { xmlEncode(text: string): string };
  export default utils;
}
