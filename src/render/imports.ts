/** How an import's result is shown: JSON document, or counts, warnings and problems. */
import type { Context } from '../context.js';
import { formatProblem, ImportRejected, type ImportResult } from '../import/run.js';
import { printJson } from './output.js';
import { progressBar } from './progress.js';

export function importJson(r: ImportResult): unknown {
  return {
    added: r.added,
    updated: r.updated,
    unchanged: r.unchanged,
    written: r.written,
    batch_id: r.batch_id,
    rows: r.rows,
    errors: r.errors.map((e) => ({ file: e.file, sheet: e.sheet, row: e.row, column: e.column, value: e.value, reason: e.reason })),
    warnings: r.warnings,
  };
}

/** Runs an import with a progress bar and prints its result; a rejection prints the JSON document too. */
export async function runAndPrintImport(ctx: Context, label: string, run: (progress: (rows: number, bytes: number, total: number) => void) => Promise<ImportResult>): Promise<void> {
  const bar = progressBar(ctx, label);
  let result: ImportResult;
  try {
    result = await run((r, b, t) => bar.update(r, b, t));
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
  ctx.out(`${head}：新增 ${result.added}，更新 ${result.updated}，未变 ${result.unchanged}，错误 ${result.errors.length}${result.batch_id ? `（批次 #${result.batch_id}）` : ''}`);
  if (result.errors.length > 0) {
    ctx.err(`以下 ${result.errors.length} 处问题所在的行未导入：`);
    for (const p of result.errors.slice(0, 50)) ctx.err(`  ${formatProblem(p)}`);
    if (result.errors.length > 50) ctx.err(`  ……另有 ${result.errors.length - 50} 处（--json 或 --errors 可见全部）`);
  }
}
