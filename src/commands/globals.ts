/** The global options, valid on every command (before or after it): listed once for help and completion. */
export const GLOBAL_OPTIONS = [
  { flags: '--db <文件或地址>', description: '数据库：SQLite 文件路径，或 PostgreSQL 地址 postgres://…（默认：环境变量 XYPZ_DB，否则 ./xypz.db）' },
  { flags: '--json', description: '以 JSON 输出（机器可读）' },
  { flags: '--actor <登录账号>', description: '操作人（默认：环境变量 XYPZ_ACTOR，否则系统用户名）' },
  { flags: '--yes', description: '对确认提问一律回答“是”' },
  { flags: '--no-color', description: '不使用颜色（也可设置环境变量 NO_COLOR）' },
  { flags: '--wide', description: '表格保持一张表，不按终端宽度拆分' },
] as const;

/** Global options that take a value (the next word). */
export const GLOBAL_VALUE_FLAGS = GLOBAL_OPTIONS.filter((o) => o.flags.includes('<')).map((o) => o.flags.split(' ')[0]!);

/**
 * Where the completion scripts keep NODE_EXTRA_CA_CERTS while they run `xypz __complete` without it
 * (src/commands/completion.ts), and where completion takes it back from for a server (src/complete.ts).
 */
export const KEPT_CA_CERTS = 'XYPZ_NODE_EXTRA_CA_CERTS';
