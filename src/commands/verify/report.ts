/** xypz verify report <code> [--out 核查报告.md|.xlsx]: the 核查报告 from templates/核查报告.md. */
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { readableCase } from '../../domain/enterprises.js';
import { fillTemplate, verificationReport } from '../../domain/verify-report.js';
import { checkOutputPath, writeFileAtomic } from '../../render/files.js';
import { printJson } from '../../render/output.js';
import { writeVerificationBook } from '../../render/verifybook.js';
import { codeArg, defineCommand, text } from '../define.js';
import { session } from '../session.js';

export const command = defineCommand({
  args: { code: codeArg() },
  options: { out: text('--out <文件.md|文件.xlsx>', '输出文件（不给则显示在终端）') },
  async run(ctx, { code }, opts) {
    const out = opts.out ? checkOutputPath(ctx.path(opts.out), ['.md', '.xlsx']) : undefined;
    const { store, dir, who } = await session(ctx);
    const c = await readableCase(store.db, dir, who, code);
    const fields = await verificationReport(store.db, dir, c, ctx.today());
    if (!out) {
      if (ctx.json) return printJson(ctx, Object.fromEntries(fields));
      return ctx.out(fillTemplate('核查报告.md', fields));
    }
    if (extname(out).toLowerCase() === '.md') await writeFileAtomic(out, async (tmp) => writeFileSync(tmp, fillTemplate('核查报告.md', fields)));
    else await writeVerificationBook(out, fields);
    if (ctx.json) return printJson(ctx, { path: out });
    ctx.out(out);
  },
});
