/**
 * The published bytes of past periods do not move. The demo's history is built on a fixed day (PIN_TODAY: every
 * month, quarter and year of 2024 is final), every final period is rendered as JSON, CSV, HTML and Excel (the
 * quarters and the year also as the Word report), and each output's SHA-256 (a workbook's or document's: of its
 * parts, uncompressed) must equal the one pinned in test/fixtures/published-pins.json (test/fixtures/published-pins.mjs
 * says how; scripts/pins.mjs writes the file).
 *
 * A change to a pinned output is a change to figures already published. It is legitimate only together with a
 * dated 口径调整 (docs/figures.md), in the same change: then, and only then, run `npm run pins`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { buildPinDemo, PIN_TODAY, PINNED, pinPeriod, type Pins } from './fixtures/published-pins.mjs';
import { scratchRoot } from './run-cli.js';

const pinned = JSON.parse(readFileSync(new URL('./fixtures/published-pins.json', import.meta.url), 'utf8')) as Pins;
const MOVED =
  'the published bytes of a past period changed. Published figures never change: this is legitimate only together ' +
  'with a dated 口径调整 entry (DEFINITION_CHANGES in src/domain/reporting/figure-table.ts, docs/figures.md) in the same ' +
  'change; then run `npm run pins` to regenerate test/fixtures/published-pins.json. Otherwise find what moved the bytes';

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(scratchRoot(tmpdir()), 'xypz-pins-'));
  await buildPinDemo(main, dir);
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(`the published reports of the demo's final periods on ${PIN_TODAY}`, () => {
  it('are the periods pinned', () => {
    expect(pinned.today).toBe(PIN_TODAY);
    expect(pinned.periods.map((p) => [p.kind, p.period]), 'the pinned periods are every period final on PIN_TODAY; `npm run pins` lists them').toEqual(PINNED);
  });

  for (const [kind, label] of PINNED) {
    it(`${kind} ${label}: every format byte for byte as pinned`, async () => {
      const digests = await pinPeriod(main, dir, kind, label);
      const expected = pinned.periods.find((p) => p.period === label && p.kind === kind)?.sha256;
      const moved = Object.keys({ ...digests, ...expected }).filter((f) => digests[f] !== expected?.[f]);
      const icu = pinned.icu === process.versions.icu ? '' : ` (the pins were made with ICU ${pinned.icu}, this runtime has ICU ${process.versions.icu}: a different ICU may sort and wrap differently)`;
      expect(moved, `${kind} ${label} (${moved.join(', ')}): ${MOVED}${icu}`).toEqual([]);
    });
  }
});
