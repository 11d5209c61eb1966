#!/usr/bin/env node
// One client of bench/concurrency.mjs: an office working its own enterprises through the workflow, one
// `xypz` process per operation (as a person at a terminal would), until it has done `ops` operations.
// A case: recommend, declare (a survey export), verify, pool confirm, assign, then loan credit + loan
// disbursement + close financed (financing) or coach add + coach done + close withdrawn (cultivation).
// A refusal by a rule (exit 4: the department's quota, the district's list full) is an outcome, not a failure:
// the quota is retried once with a reason, a full list ends that case. Prints one JSON line:
// { ops: [{ cmd, ms, code, rule }] }.
// Usage (by concurrency.mjs): node bench/concurrency-client.mjs '<json: {client, district, depts, ops, db, dir}>'
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { declarationCsv, uscc } from './concurrency-data.mjs';

const cfg = JSON.parse(process.argv[2]);
const bin = join(import.meta.dirname, '..', 'bin', 'xypz.js');
const env = { ...process.env, XYPZ_DB: cfg.db, XYPZ_ACTOR: 'bench', XYPZ_TODAY: '2024-06-15', NO_COLOR: '1' };
const ops = [];

function xypz(cmd, args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, '--json', ...args], { env, encoding: 'utf8', cwd: cfg.dir });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  let rule = null;
  if (r.status !== 0) {
    try {
      rule = JSON.parse(r.stderr).error.code;
    } catch {
      rule = `unreadable: ${r.stderr.slice(0, 200)}`;
    }
  }
  ops.push({ cmd, ms, code: r.status, rule, error: r.status === 0 || r.status === 4 ? undefined : r.stderr.slice(0, 300) });
  return { ok: r.status === 0, rule, json: r.status === 0 && r.stdout.trim() ? JSON.parse(r.stdout) : null };
}

const left = () => cfg.ops - ops.length;

for (let n = 0; left() > 0; n++) {
  const code = uscc(cfg.client, n);
  const financing = n % 3 !== 2;
  const dept = cfg.depts[(cfg.client + n) % cfg.depts.length];
  const name = `压测${cfg.client}号${n}企业有限公司`;
  const rec = ['recommend', '--code', code, '--name', name, '--district', cfg.district, '--dept', dept];
  let r = xypz('recommend', rec);
  if (!r.ok && r.rule === 'quota' && left() > 0) r = xypz('recommend', [...rec, '--over-quota', '压测：名额已满，确需推荐']);
  if (!r.ok || left() === 0) continue;
  const file = join(cfg.dir, `decl-${cfg.client}-${n}.csv`);
  writeFileSync(file, declarationCsv(code, name, cfg.district));
  if (!xypz('declare', ['declare', 'import', file]).ok || left() === 0) continue;
  const verify = ['verify', code, '--class', financing ? 'financing' : 'cultivation', '--basic', '经营正常', '--causes', '缺少抵押物', '--advice', '以应收账款质押授信', '--experts', '张三（工行）,李四（农商行）'];
  if (!xypz('verify', verify).ok || left() === 0) continue;
  if (!xypz('confirm', ['pool', 'confirm', '--district', cfg.district, '--meeting', '2024-06-15', code]).ok || left() === 0) continue;
  if (!xypz('assign', ['assign', code, '--bank', '工行']).ok || left() === 0) continue;
  if (financing) {
    if (!xypz('loan', ['loan', code, '--kind', 'credit', '--amount', '200']).ok || left() === 0) continue;
    if (!xypz('loan', ['loan', code, '--kind', 'disbursement', '--amount', '150.5']).ok || left() === 0) continue;
    xypz('close', ['close', code, '--outcome', 'financed']);
  } else {
    const item = xypz('coach', ['coach', 'add', code, '--item', '完善财务制度', '--org', '工行']);
    if (!item.ok || left() === 0) continue;
    if (!xypz('coach', ['coach', 'done', String(item.json.id)]).ok || left() === 0) continue;
    xypz('close', ['close', code, '--outcome', 'withdrawn', '--note', '压测：培植期满退出']);
  }
}
process.stdout.write(`${JSON.stringify({ ops })}\n`);
