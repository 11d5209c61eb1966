/** How an import runs for a command (its shared flags, a progress bar) and how its result is shown. */
import type { Context } from '../context.js';
import { formatProblem, ImportRejected, type ImportOptions, type ImportResult } from '../domain/imports/index.js';
import { errorCopy } from './errorbook.js';
import { printJson } from './output.js';
import { progressBar } from './progress.js';

/** The flags every import command has (importOptions() in commands/define.ts). */
export interface ImportFlags {
  dryRun?: boolean;
  partial?: boolean;
  errors?: string;
}

export function importJson(r: ImportResult): unknown {
  return {
    added: r.added,
    updated: r.updated,
    unchanged: r.unchanged,
    ...(r.withdrawn !== undefined ? { withdrawn: r.withdrawn } : {}),
    written: r.written,
    batch_id: r.batch_id,
    rows: r.rows,
    errors: r.errors.map((e) => ({ file: e.file, sheet: e.sheet, row: e.row, column: e.column, value: e.value, reason: e.reason })),
    warnings: r.warnings,
  };
}

/**
 * Runs an import of `files` with the options its flags give and a progress bar, and prints its result; a
 * rejection prints the JSON document too.
 */
export async function runAndPrintImport(
  ctx: Context,
  label: string,
  files: string[],
  flags: ImportFlags,
  run: (opts: ImportOptions) => Promise<ImportResult>,
): Promise<void> {
  const bar = progressBar(ctx, label);
  let result: ImportResult;
  try {
    result = await run({
      dryRun: flags.dryRun,
      partial: flags.partial,
      errors: flags.errors ? errorCopy(ctx.path(flags.errors), files) : undefined,
      progress: (r, b, t) => bar.update(r, b, t),
      inTransaction: ctx.io.seams?.inImportTransaction,
    });
  } catch (e) {
    bar.done();
    if (e instanceof ImportRejected) {
      if (ctx.json) printJson(ctx, importJson(e.result));
      else for (const w of e.result.warnings) ctx.err(`提示：${w}`);
    }
    throw e;
  }
  bar.done();
  if (ctx.json) return printJson(ctx, importJson(result));
  for (const w of result.warnings) ctx.err(`提示：${w}`);
  const head = result.written ? '导入完成' : '试运行（--dry-run），未写入';
  const withdrawn = result.withdrawn !== undefined ? `，撤回 ${result.withdrawn}` : '';
  ctx.out(`${head}：新增 ${result.added}，更新 ${result.updated}，未变 ${result.unchanged}${withdrawn}，错误 ${result.errors.length}${result.batch_id ? `（批次 #${result.batch_id}）` : ''}`);
  if (result.errors.length > 0) {
    ctx.err(`以下 ${result.errors.length} 处问题所在的行未导入：`);
    for (const p of result.errors.slice(0, 50)) ctx.err(`  ${formatProblem(p)}`);
    if (result.errors.length > 50) ctx.err(`  ……另有 ${result.errors.length - 50} 处（--json 或 --errors 可见全部）`);
  }
}
