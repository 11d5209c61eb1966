/**
 * One error type, subclasses carry the exit code (docs/cli.md). Messages are Chinese and say what to do next.
 * `details` holds one line per problem (e.g. every invalid row of an import).
 */
export type ErrorDetail = Record<string, unknown> & { message?: string };

export class XypzError extends Error {
  readonly exitCode: number = 1;
  readonly code: string = 'error';
  constructor(
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Lines printed after the message (non-JSON mode), e.g. the listed problems. */
    readonly lines: string[] = [],
  ) {
    super(message);
  }
}

/** Exit 2: wrong command line, or a required value missing without a TTY to ask for it. */
export class UsageError extends XypzError {
  override readonly exitCode = 2;
  override readonly code = 'usage';
}

/** Exit 3: input data rejected by validation; nothing was written. */
export class DataError extends XypzError {
  override readonly exitCode = 3;
  override readonly code = 'invalid_data';
}

/** Exit 4: refused by a rule (quota, pool full, wrong stage, unsigned agreement, permission). */
export class RuleError extends XypzError {
  override readonly exitCode = 4;
  override readonly code: string = 'refused';
  constructor(message: string, details: ErrorDetail[] = [], lines: string[] = [], code = 'refused') {
    super(message, details, lines);
    this.code = code;
  }
}

/** Exit 5: something named does not exist. */
export class NotFoundError extends XypzError {
  override readonly exitCode = 5;
  override readonly code = 'not_found';
}

/**
 * Exit 130 (as after Ctrl-C in a shell): the user stopped a prompt (Ctrl-C, Esc) or answered “否” to a
 * confirmation. Nothing was written; the report is the one word 已取消, not an error.
 */
export class CancelledError extends XypzError {
  override readonly exitCode = 130;
  override readonly code = 'cancelled';
  constructor(message = '已取消') {
    super(message);
  }
}

/** What a database held by another process past the wait says (docs/cli.md). */
export const BUSY_MESSAGE = '数据库正被其他进程长时间占用，请稍后重试';

/**
 * Exit 4, code `busy`: another process held the database's lock for longer than the wait (SQLite's
 * busy_timeout, PostgreSQL's lock_timeout; XYPZ_BUSY_TIMEOUT_MS sets it). Nothing was written.
 */
export function busyError(): RuleError {
  return new RuleError(BUSY_MESSAGE, [], [], 'busy');
}

/** The exit-3 error for a file the user named, or exit 4 for the environment (the database, the disk). */
function resourceError(path: string | undefined, named: string, other: string, code: string): XypzError {
  return path ? new DataError(named) : new RuleError(other, [], [], code);
}

/**
 * Disk full, read-only media, permissions, over-long names, a busy or read-only database: conditions of the
 * machine, not bugs. Each becomes one Chinese line saying what to do — exit 3 when it concerns a file or
 * directory the user named (the error carries its path), exit 4 otherwise. `undefined` for anything else.
 */
export function describeSystemError(e: unknown, dbPath?: string): XypzError | undefined {
  if (!(e instanceof Error)) return undefined;
  const { code, path: p } = e as { code?: unknown; path?: unknown };
  if (typeof code !== 'string') return undefined;
  const path = typeof p === 'string' ? p : undefined;
  const shown = path && path.length > 120 ? `${path.slice(0, 60)}…${path.slice(-40)}` : path;
  const db = dbPath ? `数据库 ${dbPath}` : '数据库';
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return resourceError(path, `磁盘空间不足，无法写入 ${shown}：请清理磁盘或换一个有空间的位置后重试（未完成的文件已删除）`, '磁盘空间不足：请清理磁盘后重试；本次改动已撤销，数据库保持原状', 'disk_full');
    case 'EROFS':
      return resourceError(path, `${shown} 位于只读的磁盘或分区上，无法写入：请换一个可写的位置`, '要写入的位置是只读的：请换一个可写的位置', 'read_only');
    case 'EACCES':
    case 'EPERM':
      return resourceError(path, `没有权限访问 ${shown}：请检查该文件和所在目录的权限，或换一个位置`, '没有权限访问所需的文件：请检查文件和目录的权限', 'permission_denied');
    case 'ENAMETOOLONG':
      return resourceError(path, `文件名过长（${shown}）：请用较短的文件名或路径`, '文件名过长：请用较短的文件名或路径', 'name_too_long');
    case 'ENOENT':
    case 'ENOTDIR':
      return path ? new DataError(`找不到 ${shown}（路径中的目录不存在）：请检查路径`) : undefined;
    case 'EISDIR':
      return path ? new DataError(`${shown} 是一个目录，请给出文件名`) : undefined;
    case 'EMFILE':
    case 'ENFILE':
      return new RuleError('系统打开的文件过多：请关闭其他程序后重试', [], [], 'too_many_files');
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return busyError();
    case 'SQLITE_FULL':
      return new RuleError(`磁盘空间不足，${db}无法写入：请清理磁盘后重试；本次改动已撤销，数据库保持原状`, [], [], 'disk_full');
    case 'SQLITE_CANTOPEN':
      return new RuleError(`无法打开${db}（或它旁边的 -wal、-shm 文件）：请检查文件和所在目录是否存在、是否有读写权限`, [], [], 'cannot_open');
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new RuleError(
      `${db}只能读取（文件或所在目录不可写，或位于只读介质上）：查询类命令照常可用；要修改数据，请把数据库复制到可写的位置，或请管理员开放写权限`,
      [],
      [],
      'read_only',
    );
  }
  if (code.startsWith('SQLITE_IOERR')) return new RuleError(`读写${db}时磁盘出错（${code}）：请检查磁盘，必要时用备份恢复`, [], [], 'io_error');
  return undefined;
}
