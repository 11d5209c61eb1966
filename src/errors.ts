/**
 * One error type, subclasses carry the exit code (SPEC §5). Messages are Chinese and say what to do next.
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
