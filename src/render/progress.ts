/**
 * A progress bar on stderr for long imports: only on a terminal, never with --json, and only once the work
 * has taken longer than a second.
 */
import type { Context } from '../context.js';

export interface ProgressBar {
  update(rows: number, bytes: number, total: number): void;
  done(): void;
}

const NONE: ProgressBar = { update: () => {}, done: () => {} };

export function progressBar(ctx: Context, label: string): ProgressBar {
  if (!ctx.canShowProgress) return NONE;
  const started = ctx.now().getTime();
  let last = 0;
  let shown = false;
  const width = 30;
  return {
    update(rows, bytes, total) {
      const now = ctx.now().getTime();
      if (now - started < 1000 || now - last < 100) return;
      last = now;
      shown = true;
      const frac = total > 0 ? Math.min(1, bytes / total) : 0;
      const filled = Math.round(frac * width);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      ctx.io.stderr.write(`\r${label} ${bar} ${String(Math.round(frac * 100)).padStart(3)}%  已读 ${rows.toLocaleString('en-US')} 行`);
    },
    done() {
      if (shown) ctx.io.stderr.write('\r\x1b[2K');
    },
  };
}
