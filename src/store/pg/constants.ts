/** Names the PostgreSQL store and its migrations share. */

/** The schema xypz keeps its tables in. */
export const SCHEMA = 'xypz';

/** Written on the schema by init: a schema of that name made by something else is never opened. */
export const SCHEMA_COMMENT = 'xypz 1482248282';

/**
 * The key of the one transaction-scoped advisory lock every write takes first ('XYPZ'): the PostgreSQL
 * store's equivalent of SQLite's BEGIN IMMEDIATE.
 */
export const WRITE_LOCK = 1482248282;

/** The group roles of the logins: 管理员 and 操作员 write, 查询员 only read. */
export const WRITER_GROUP = 'xypz_writer';
export const READER_GROUP = 'xypz_reader';

/**
 * The SQLSTATE of the server's late-entry refusals (0019_server_recorded): a date in a month whose figures are
 * final, a receipt date other than today. The CLI shows the server's message as refused data (exit 3).
 */
export const LATE_ENTRY_STATE = 'XY003';
