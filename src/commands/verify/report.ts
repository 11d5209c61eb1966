/** xypz verify report <code> [--out 核查报告.md|.xlsx]: the 核查报告 from templates/核查报告.md. */
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Context } from '../../context.js';
import { actorFor } from '../../domain/actor.js';
import { Directory } from '../../domain/directory.js';
import { readableCase } from '../../domain/enterprises.js';
import { fillTemplate, verificationReport } from '../../domain/verify-report.js';
import { checkOutputPath, writeFileAtomic } from '../../render/files.js';
import { safeText } from '../../render/formula.js';
import { printJson } from '../../render/output.js';

export async function run(ctx: Context, args: unknown[], opts: { out?: string }): Promise<void> {
  const out = opts.out ? checkOutputPath(ctx.path(opts.out), ['.md', '.xlsx']) : undefined;
  const store = await ctx.store();
  const dir = await Directory.load(store.db);
  const who = await actorFor(ctx, store, undefined, {}, dir);
  const c = await readableCase(store.db, dir, who, args[0] as string);
  const fields = await verificationReport(store.db, dir, c, ctx.today());
  if (!out) {
    if (ctx.json) return printJson(ctx, Object.fromEntries(fields));
    return ctx.out(fillTemplate('核查报告.md', fields));
  }
  if (extname(out).toLowerCase() === '.md') {
    await writeFileAtomic(out, async (tmp) => writeFileSync(tmp, fillTemplate('核查报告.md', fields)));
  } else {
    const { default: ExcelJS } = await import('exceljs');
    await writeFileAtomic(out, async (tmp) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('核查报告');
      ws.columns = [
        { header: '项目', key: 'k', width: 20 },
        { header: '内容', key: 'v', width: 90 },
      ];
      ws.getRow(1).font = { bold: true };
      for (const [k, v] of fields) ws.addRow({ k, v: safeText(v) }).alignment = { wrapText: true, vertical: 'top' };
      await wb.xlsx.writeFile(tmp);
    });
  }
  if (ctx.json) return printJson(ctx, { path: out });
  ctx.out(out);
}
