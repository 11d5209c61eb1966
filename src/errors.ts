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

/** The user answered "no" to a confirmation: nothing done, exit 4 would be wrong; treat as refused by the user. */
export class CancelledError extends XypzError {
  override readonly exitCode = 4;
  override readonly code = 'cancelled';
}
