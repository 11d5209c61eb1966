/** `postgres://…` or `postgresql://…` names a PostgreSQL server; anything else is a SQLite file. (No imports: completion reads it on every Tab.) */
export function isServerUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target.trim());
}
