/**
 * The one importer: every spreadsheet import (organisations, accounts, declarations, feedback, ratings) runs through
 * it. Several files are one batch and one transaction; all-or-nothing by default, `partial` imports the
 * valid rows, `dryRun` writes nothing, `errors` hands the problems to a writer of a marked-up copy.
 *
 * Memory stays bounded: rows are streamed from the file by the readers of src/import/, parsed records wait
 * in the store's staging area, and are written chunk by chunk in one transaction.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { DataError } from '../../errors.js';
import { openSheetFile } from '../../import/sheets.js';
import { localTimestamp } from '../../store/audit.js';
import type { Store } from '../../store/db.js';
import { audit, authorize, IMPORT_LABEL, type Actor } from '../core/index.js';
import { BatchState, flagDuplicates, parseFile, refuseOverLimit, titlesOf } from './parse.js';
import { formatProblem, type Counts, type HeaderRows, type ImportSpec, type Problem } from './spec.js';

/** Where the marked-up copy of the input goes (--errors) and who writes it (src/render/errorbook.ts). */
export interface ErrorCopy {
  /** The output file as the user named it, for messages. */
  readonly path: string;
  write(files: string[], problems: Problem[], headers: HeaderRows): Promise<void>;
}

export interface ImportOptions {
  dryRun?: boolean;
  partial?: boolean;
  errors?: ErrorCopy;
  reviewerOrgId?: number | null;
  progress?: (rows: number, bytes: number, total: number) => void;
  /** Runs inside the write transaction once every record is written, before the commit (a test pauses here to kill the process). */
  inTransaction?: () => Promise<void>;
}

export interface ImportResult extends Counts {
  /** Rows an earlier import brought in and this batch replaces (a unit's corrected collection workbook). */
  withdrawn?: number;
  written: boolean;
  batch_id: number | null;
  rows: number;
  errors: Problem[];
  warnings: string[];
}

/** Rejected import: carries the result document (written: false) for --json. */
export class ImportRejected extends DataError {
  constructor(
    message: string,
    details: Record<string, unknown>[],
    lines: string[],
    readonly result: ImportResult,
  ) {
    super(message, details, lines);
  }
}

class Rollback extends Error {}

/** Records a batch keeps in memory before its staging moves to a temp table (bounded memory for huge sheets). */
const MEMORY_ROWS = 25_000;

async function sha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

function rejection(problems: Problem[], errors: ErrorCopy | undefined, result: ImportResult): ImportRejected {
  return new ImportRejected(
    `${problems.length} 处问题，未导入任何数据${errors ? `；已将标注错误的副本写入 ${errors.path}` : '（可用 --errors <文件.xlsx> 输出标注错误的副本，或用 --partial 只导入有效行）'}`,
    problems.map((p) => {
      const { scope: _scope, ...shown } = p; // internal: the document lists what the user can act on
      return { ...shown, message: formatProblem(p) };
    }),
    problems.slice(0, 50).map(formatProblem).concat(problems.length > 50 ? [`……另有 ${problems.length - 50} 处问题（--json 或 --errors 可见全部）`] : []),
    result,
  );
}

/**
 * Runs an import. Who may run it at all is decided before any file is read (a 查询员 never imports, not even
 * a dry run); every row is then checked as its command would check it, and inside the write transaction,
 * before the batch record, the spec authorises what the batch would replace (authorizeWrites).
 */
export async function runImport<R>(store: Store, who: Actor, spec: ImportSpec<R>, files: string[], opts: ImportOptions): Promise<ImportResult> {
  authorize(who, 'data.import', { importKind: spec.kind });
  if (files.length === 0) throw new DataError('没有指定要导入的文件');
  // Check every file's format before reading any, so a bad third file fails fast.
  for (const f of files) openSheetFile(f);
  // A batch over the row limit is refused having counted its rows up to the limit, never having staged them.
  await refuseOverLimit(spec, files);
  const titleOf = titlesOf(spec);
  const staging = store.staging<R>({ memoryRows: MEMORY_ROWS, columns: spec.stage });
  try {
    const st = new BatchState<R>(staging);
    const fileInfo: { name: string; sha256: string; rows: number }[] = [];
    for (const [i, f] of files.entries()) {
      st.files.push(basename(f));
      const before = st.rows;
      const sha = await sha256(f);
      await parseFile(spec, f, sha, i, st, opts.progress ? (b, t) => opts.progress!(st.rows, b, t) : undefined);
      fileInfo.push({ name: basename(f), sha256: sha, rows: st.rows - before });
    }
    flagDuplicates(st, titleOf);
    const problems = st.problems;
    const fileLevel = problems.some((p) => p.scope === 'file');
    const good = staging.goodCount();
    const rejectedRows = st.rows - good;
    if (opts.errors && problems.length > 0) await opts.errors.write(files, problems, st.headers);
    const base = { rows: st.rows, errors: problems, warnings: st.warnings };
    if (problems.length > 0 && (!opts.partial || fileLevel)) {
      throw rejection(problems, opts.errors, { added: 0, updated: 0, unchanged: 0, written: false, batch_id: null, ...base });
    }
    const counts: Counts & { withdrawn?: number } = { added: 0, updated: 0, unchanged: 0 };
    let batchId: number | null = null;
    try {
      await store.write(async (tx) => {
        await spec.authorizeWrites?.(tx, who);
        if (!opts.dryRun) {
          const row = await tx
            .insertInto('import_batch')
            .values({
              kind: spec.kind,
              files: JSON.stringify(fileInfo),
              added: 0,
              updated: 0,
              unchanged: 0,
              rejected: rejectedRows,
              actor: who.login,
              reviewer_org_id: opts.reviewerOrgId ?? null,
              created_at: localTimestamp(who.now),
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          batchId = row.id;
        }
        await spec.prepare?.(tx, who, batchId);
        for (const page of staging.pages()) {
          const c = spec.applyPage
            ? await spec.applyPage(tx, page, (l) => st.loc(l), who, batchId)
            : await spec.apply(tx, page.items().map((x) => ({ record: x.record, loc: st.loc(x.loc) })), who, batchId);
          counts.added += c.added;
          counts.updated += c.updated;
          counts.unchanged += c.unchanged;
          st.warnings.push(...(c.warnings ?? []));
        }
        if (spec.finish) {
          const f = await spec.finish(tx, who, batchId, problems);
          st.warnings.push(...(f.warnings ?? []));
          counts.added += f.added ?? 0;
          counts.updated += f.updated ?? 0;
          counts.unchanged += f.unchanged ?? 0;
          if (f.withdrawn !== undefined) counts.withdrawn = f.withdrawn;
        }
        // Rows of a final month entered by the 人民银行: the batch is one correction, with its reason.
        await spec.dates?.record(tx, { batchId, what: `${IMPORT_LABEL[spec.kind]}导入（${batchId === null ? '试导入' : `批次 #${batchId}`}）中已结报月份的记录` });
        if (opts.dryRun) throw new Rollback();
        await tx.updateTable('import_batch').set({ added: counts.added, updated: counts.updated, unchanged: counts.unchanged }).where('id', '=', batchId!).execute();
        await audit(tx, who, [
          {
            entity: 'import_batch',
            entityId: batchId,
            after: { kind: spec.kind, files: fileInfo, ...counts, rejected: rejectedRows, reviewer_org_id: opts.reviewerOrgId ?? null },
          },
        ]);
        await opts.inTransaction?.();
      });
    } catch (e) {
      if (!(e instanceof Rollback)) throw e;
    }
    return { ...counts, written: !opts.dryRun, batch_id: batchId, ...base };
  } finally {
    staging.drop();
  }
}
