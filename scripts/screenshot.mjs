#!/usr/bin/env node
// The README's screenshot (docs/report-monthly.png): the demo's monthly HTML report as Chromium shows it.
// Usage: npm run build && node scripts/screenshot.mjs   (needs Debian's chromium: apt-get install chromium fonts-noto-cjk)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'xypz-shot-'));
// A fixed day, so the picture changes only when the report does.
const env = { ...process.env, XYPZ_TODAY: '2024-06-15', XYPZ_DB: join(dir, 'demo.db'), XYPZ_ACTOR: 'demo_admin' };
const xypz = (...args) => {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'xypz.js'), ...args], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`xypz ${args.join(' ')}: ${r.stderr}`);
};
try {
  xypz('demo');
  const html = join(dir, '月报.html');
  xypz('report', 'monthly', '--out', html);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  const page = await browser.newPage({ viewport: { width: 960, height: 1500 } });
  await page.goto(pathToFileURL(html).href);
  await page.screenshot({ path: join(root, 'docs', 'report-monthly.png') });
  await browser.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
