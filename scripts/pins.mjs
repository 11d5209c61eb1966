// Writes test/fixtures/published-pins.json: the SHA-256 of every final period's published report (JSON, CSV, HTML,
// Excel; Word for the quarters and the year) made from the demo's history on a fixed day, which
// test/published-pins.test.ts compares with the reports the sources make. Run by `npm run pins` after the build
// (it runs dist/, the CLI as shipped). `--check` only compares and exits 1 when a pin differs.
//
// Published figures never change (docs/figures.md): regenerating the pins is legitimate only together with a
// dated 口径调整 (DEFINITION_CHANGES in src/domain/reporting/figure-table.ts, shown in docs/figures.md and in every
// report's 说明), in the same change.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computePins, pinsText } from '../test/fixtures/published-pins.mjs';
import { writeOrCheck } from './generated.mjs';

const target = new URL('../test/fixtures/published-pins.json', import.meta.url);
const { main } = await import('../dist/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'xypz-pins-'));
try {
  const started = performance.now();
  const text = pinsText(await computePins(main, dir));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  writeOrCheck(target, text, {
    written: `test/fixtures/published-pins.json written (${seconds} s)`,
    stale: '已发布报表的字节与 test/fixtures/published-pins.json 不一致（只有同时登记带日期的口径调整时才可 npm run pins 重新生成）',
    unchanged: `published pins unchanged (${seconds} s)`,
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
