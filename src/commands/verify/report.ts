/** xypz verify report <code> [--out 核查报告.docx|.md|.xlsx]: the 核查报告 from templates/核查报告.md. */
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { readableCase } from '../../domain/enterprises/index.js';
import { reportingUnit } from '../../domain/core/index.js';
import { fillTemplate, verificationReport } from '../../domain/intake/index.js';
import { writeDocx } from '../../render/docx.js';
import { checkOutputPath, writeFileAtomic } from '../../render/files.js';
import { documentFields, narrativeBlocks, narrativeMarkdown } from '../../render/narrative.js';
import { printJson } from '../../render/output.js';
import { writeVerificationBook } from '../../render/verifybook.js';
import { codeArg, defineCommand, text } from '../define.js';
import { session } from '../session.js';

export const command = defineCommand({
  args: { code: codeArg() },
  options: { out: text('--out <文件.docx|文件.md|文件.xlsx>', '输出文件：Word 公文格式、文本或一页的表格（不给则显示在终端）') },
  async run(ctx, { code }, opts) {
    const out = opts.out ? checkOutputPath(ctx.path(opts.out), ['.docx', '.md', '.xlsx']) : undefined;
    const { store, dir, who } = await session(ctx);
    const c = await readableCase(store.db, dir, who, code);
    const fields = await verificationReport(store.db, dir, c, ctx.today());
    const verified = fields.find(([k]) => k === '核查日期')![1];
    const shown = documentFields(fields);
    if (!out) {
      if (ctx.json) return printJson(ctx, Object.fromEntries(fields));
      return ctx.out(fillTemplate('核查报告.md', shown));
    }
    const ext = extname(out).toLowerCase();
    const unit = reportingUnit(dir, who, c.region_code);
    const part = [{ text: fillTemplate('核查报告.md', shown), unit }];
    // Dated by the verification it reports, not by the day it is printed.
    if (ext === '.md') await writeFileAtomic(out, async (tmp) => writeFileSync(tmp, narrativeMarkdown(part, verified)));
    else if (ext === '.docx') await writeDocx(out, narrativeBlocks(part, verified));
    else await writeVerificationBook(out, shown, { unit, date: verified });
    if (ctx.json) return printJson(ctx, { path: out });
    ctx.out(out);
  },
});
