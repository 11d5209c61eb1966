/**
 * Exports never let a cell start a formula: text beginning with = + - @ tab or CR gets a leading '
 * (docs/cli.md). Numbers stay numbers; only text cells pass through here.
 */
export function safeText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}
