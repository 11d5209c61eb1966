#!/usr/bin/env node
// The province-scale database for bench/report.mjs: 100 districts (the 5 seeded ones + 95 more), 11 member
// departments and a finance office per new district, 20 more banks, and 10 years (2016-01 .. 2025-12) of case
// histories that keep the app's invariants: one open case per enterprise, at most `capacity` (10) cases in a
// district's list at any time (monthly meetings confirm verified candidates only into vacancies, closing frees
// a slot), every step dated after the one it follows, a case's fields = its history as of 2025-12-31.
// `xypz init` makes the file (schema, application_id, reference data, the admin `bench`); the rest is inserted
// directly with better-sqlite3 in big transactions. Seeded PRNG: the same seed gives the same database.
// No audit_log entries are written for the generated history (the report never reads them).
// Usage: npm run build && node bench/report-data.mjs [file]   (bench/report.mjs calls ensureDatabase itself)
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { withUsccCheck } from './concurrency-data.mjs';

export const GENERATOR_VERSION = 2;
export const SEED = 20250630;
export const MIN_EVENTS = 1_000_000;
const here = import.meta.dirname;
const bin = join(here, '..', 'bin', 'xypz.js');
export const DEFAULT_FILE = join(here, 'data', `report-v${GENERATOR_VERSION}-s${SEED}.db`);

// ---------------------------------------------------------------- helpers
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
  };
}

const DAY0 = Date.UTC(2015, 0, 1);
const ISO = [];
for (let i = 0; i < 366 * 14; i++) ISO.push(new Date(DAY0 + i * 864e5).toISOString().slice(0, 10));
const dayOf = (y, m, d) => Math.round((Date.UTC(y, m - 1, d) - DAY0) / 864e5);
const FIRST_YEAR = 2016;
const LAST_YEAR = 2025;
const END = dayOf(LAST_YEAR, 12, 31); // "today" of the data set: nothing is dated later
const ts = (day, sec = 0) => `${ISO[day]}T${String(9 + Math.floor(sec / 3600) % 10).padStart(2, '0')}:${String(Math.floor(sec / 60) % 60).padStart(2, '0')}:${String(sec % 60).padStart(2, '0')}.000+08:00`;

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function base31(n, width) {
  let s = '';
  for (let i = 0; i < width; i++) {
    s = USCC_CHARS[n % 31] + s;
    n = Math.floor(n / 31);
  }
  return s;
}

const DEPARTMENT_KINDS = [
  ['发改', 'FG', '发展和改革局'],
  ['科技', 'KJ', '科学技术局'],
  ['经信', 'JX', '经济和信息化局'],
  ['财政', 'CZ', '财政局'],
  ['自然资源', 'ZR', '自然资源和规划局'],
  ['生态环境', 'HB', '生态环境局'],
  ['农业农村', 'NY', '农业农村局'],
  ['商务', 'SW', '商务局'],
  ['文旅', 'WL', '文化和旅游局'],
  ['市场监管', 'SJ', '市场监督管理局'],
  ['税务', 'SS', '税务局'],
];
const NEW_BANKS = [
  '中信银行', '招商银行', '兴业银行', '上海浦东发展银行', '中国民生银行', '中国光大银行', '华夏银行', '平安银行', '广发银行', '浙商银行',
  '渤海银行', '恒丰银行', '武汉农村商业银行', '湖北农商银行', '长江村镇银行', '武汉众邦银行', '湖北银行省分行营业部', '国家开发银行湖北省分行', '中国进出口银行湖北省分行', '中国农业发展银行湖北省分行',
];
const WORDS = ['华晟', '鑫源', '楚天', '鄂兴', '恒达', '凤凰', '金瑞', '长江', '梁湖', '吴都', '洋澜', '葛华', '临港', '明珠', '新港', '汇通', '众鑫', '泰和', '荆楚', '盛世', '博远', '宏图', '瑞丰', '嘉禾', '天成'];
const TRADES = [
  ['科技', 'I 信息传输、软件和信息技术服务业'],
  ['机械制造', 'C 制造业'],
  ['新材料', 'C 制造业'],
  ['生态农业', 'A 农、林、牧、渔业'],
  ['食品', 'C 制造业'],
  ['物流', 'G 交通运输、仓储和邮政业'],
  ['商贸', 'F 批发和零售业'],
  ['建材', 'C 制造业'],
  ['文化旅游', 'R 文化、体育和娱乐业'],
  ['水产养殖', 'A 农、林、牧、渔业'],
];
const DIFFICULTIES = ['缺乏抵质押物', '财务制度不规范', '信用记录不良', '经营规模小', '行业或产业政策限制', '土地环评等手续不全'];
const COACHING = [
  ['补办环评手续', '生态环境', '环保'],
  ['完善财务制度，规范记账', '财政', '财务'],
  ['办理不动产权证', '自然资源', '确权'],
  ['申报高新技术企业认定', '科技', '资质'],
  ['纳税信用等级修复', '税务', '信用'],
  ['规范用工和社保缴纳', '市场监管', '合规'],
  ['申请技术改造专项资金', '经信', '政策'],
  ['办理农业产业化龙头企业认定', '农业农村', '资质'],
];
const ACTOR = 'bench';

// ---------------------------------------------------------------- the simulation
/**
 * Simulates every district's ten years. Returns plain objects; ids are given later in date order, so the
 * tables look like a database that grew over time (rows of a month next to each other).
 */
function simulate(r, districts, banks) {
  const cases = [];
  const filings = [];
  const bankWeights = banks.map((b, i) => ({ b, w: i < 9 ? 3 : 1 })); // the seeded (big) banks lead more often
  const totalW = bankWeights.reduce((a, x) => a + x.w, 0);
  const pickBank = (not) => {
    for (;;) {
      let x = r.next() * totalW;
      for (const { b, w } of bankWeights) {
        x -= w;
        if (x < 0) {
          if (b.id !== not) return b;
          break;
        }
      }
    }
  };
  let enterpriseSerial = 0;
  const maxDay = (c) => c.events.reduce((a, e) => (e.day > a ? e.day : a), 0);

  for (const dist of districts) {
    const mine = [];
    const freeEnterprises = []; // enterprises whose last case ended: may be recommended again
    // Recommendations: ~40 a year, departments keep to their quota of 3 a year except ~8% over-quota ones.
    for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) {
      const made = new Map();
      const n = r.int(44, 54);
      const days = Array.from({ length: n }, () => dayOf(y, 1, 1) + r.int(0, dayOf(y, 12, 31) - dayOf(y, 1, 1))).sort((a, b) => a - b);
      for (const day of days) {
        const under = dist.recommenders.filter((d) => (made.get(d.id) ?? 0) < 3);
        const dept = under.length > 0 && r.chance(0.95) ? r.pick(under) : r.pick(dist.recommenders);
        const count = made.get(dept.id) ?? 0;
        made.set(dept.id, count + 1);
        let ent;
        const reusable = freeEnterprises.findIndex((e) => e.freeFrom < day);
        if (reusable >= 0 && r.chance(0.06)) [ent] = freeEnterprises.splice(reusable, 1);
        else {
          const serial = enterpriseSerial++;
          const trade = TRADES[serial % TRADES.length];
          ent = {
            code: withUsccCheck(`91${dist.codeDigits}MA${base31(serial, 7)}`),
            name: `${dist.short}${WORDS[Math.floor(serial / TRADES.length) % WORDS.length]}${trade[0]}有限公司${serial % 7 === 0 ? '' : `第${(serial % 97) + 1}分公司`}`,
            trade,
            region: dist.code,
            firstDay: day,
            freeFrom: Infinity,
          };
        }
        const c = { dist, ent, recDay: day, dept, overQuota: count >= 3, events: [], decls: [], assigns: [], loans: [], items: [], ratings: [] };
        c.events.push({ day, kind: 'recommended', details: () => ({ dept: dept.name, reason: '经营稳定、有融资需求', ...(c.overQuota ? { over_quota: '区重点培育企业，经说明理由超额推荐' } : {}) }) });
        // Declaration (sometimes resubmitted), then the joint verification.
        if (r.chance(0.92)) {
          let d = day + r.int(3, 20);
          let auth = r.chance(0.93);
          c.decls.push({ day: d, auth, sec: r.int(0, 3599) });
          c.events.push({ day: d, kind: 'declared', details: { authorised: auth ? '是' : '否', demand: `${r.int(1, 20) * 50}.00` } });
          if (r.chance(0.15)) {
            d += r.int(2, 15);
            auth = auth || r.chance(0.7);
            c.decls.push({ day: d, auth, sec: r.int(0, 3599) });
            c.events.push({ day: d, kind: 'redeclared', details: { authorised: auth ? '是' : '否', demand: `${r.int(1, 20) * 50}.00` } });
          }
          if (auth) {
            c.verDay = d + r.int(7, 25);
            if (r.chance(0.1)) {
              c.verResult = 'rejected';
              c.events.push({ day: c.verDay, kind: 'rejected', details: { reason: '经营异常，暂不符合培植条件' } });
              ent.freeFrom = c.verDay;
            } else {
              c.verResult = r.chance(0.55) ? 'financing' : 'cultivation';
              c.events.push({ day: c.verDay, kind: 'verified', details: { class: c.verResult, experts: '张三（工行）,李四（农商行）,王五（区金融办）' } });
            }
          }
        }
        if (c.verResult === 'rejected') freeEnterprises.push(ent);
        mine.push(c);
      }
    }

    // Month by month: the list is filed (报备) early in the month, the joint meeting confirms mid-month.
    const active = [];
    const candidates = mine.filter((c) => c.verResult === 'financing' || c.verResult === 'cultivation').sort((a, b) => a.verDay - b.verDay);
    let next = 0;
    const waiting = [];
    for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) {
      for (let m = 1; m <= 12; m++) {
        const fileDay = dayOf(y, m, r.int(3, 10));
        for (let i = active.length - 1; i >= 0; i--) if (active[i].closeDay <= fileDay) active.splice(i, 1);
        if (active.length > 0 && fileDay <= END) {
          filings.push({ region: dist.code, day: fileDay, cases: active.map((c) => c.ent.code) });
          for (const c of active) c.events.push({ day: fileDay, kind: 'filed', details: { filed_on: ISO[fileDay] } });
        }
        const meeting = dayOf(y, m, r.int(12, 20));
        for (let i = active.length - 1; i >= 0; i--) if (active[i].closeDay <= meeting) active.splice(i, 1);
        while (next < candidates.length && candidates[next].verDay <= meeting) waiting.push(candidates[next++]);
        const vacancies = dist.capacity - active.length;
        for (const c of waiting.splice(0, Math.max(0, vacancies))) {
          confirm(c, meeting);
          active.push(c);
        }
      }
    }
    cases.push(...mine);
  }
  return { cases, filings };

  /** Everything after the meeting, up to the case's close (which frees the slot). */
  function confirm(c, meeting) {
    c.confirmDay = meeting;
    c.class = c.verResult;
    c.events.push({ day: meeting, kind: 'confirmed', details: { meeting: ISO[meeting] } });
    const A = meeting + r.int(5, 12);
    const bank = pickBank();
    const mode = r.chance(0.7) ? 'self' : 'designated';
    c.assigns.push({ bankId: bank.id, mode, day: A, ended: null, reason: null });
    c.events.push({ day: A, kind: 'assigned', details: { bank: bank.name, mode } });
    let lead = bank;
    const deptOf = (kind) => c.dist.depts.find((d) => d.kind === kind) ?? c.dist.depts[0];
    const addItems = (from, n) => {
      let last = from;
      for (let i = 0; i < n; i++) {
        const [item, kind, category] = r.pick(COACHING);
        const byBank = r.chance(0.1);
        const org = byBank ? lead : deptOf(kind);
        const add = from + r.int(2, 6) + i * r.int(1, 4);
        const due = add + r.int(30, 60);
        const fate = r.next();
        const it = { item, orgId: org.id, orgName: org.name, category, add, due, status: 'open', done: null, note: null };
        c.items.push(it);
        c.events.push({ day: add, kind: 'coach_added', details: () => ({ id: it.id, item, org: org.name, due: ISO[due] }) });
        if (fate < 0.985) {
          it.done = add + r.int(3, 25);
          it.status = fate < 0.87 ? 'done' : 'failed';
          if (it.status === 'failed') it.note = '企业未能提供所需材料';
          c.events.push({ day: it.done, kind: it.status === 'done' ? 'coach_done' : 'coach_failed', details: () => ({ id: it.id, item, note: it.note }) });
          if (it.done > last) last = it.done;
        }
      }
      return last;
    };
    let t = A;
    let financing = c.class === 'financing';
    if (!financing) {
      const last = addItems(A, r.int(6, 14));
      t = last + r.int(3, 15);
      if (r.chance(0.6)) {
        c.reclass = { day: t, from: 'cultivation', to: 'financing' };
        c.events.push({ day: t, kind: 'reclassified', details: { from: 'cultivation', to: 'financing', reason: '辅导事项已办结，具备融资条件' } });
        financing = true;
      } else {
        close(c, t + r.int(0, 30), 'withdrawn', '企业经营调整，主动退出');
        return;
      }
    } else if (r.chance(0.35)) {
      t = Math.max(t, addItems(A, r.int(1, 3)));
    }
    // A change of lead bank, now and then, early in service.
    if (r.chance(0.06)) {
      const ch = A + r.int(10, 40);
      const other = pickBank(lead.id);
      c.assigns[0].ended = ch;
      c.assigns.push({ bankId: other.id, mode: 'designated', day: ch, ended: null, reason: '原主办行额度紧张，协商改由他行主办' });
      c.events.push({ day: ch, kind: 'bank_changed', details: { bank: other.name, mode: 'designated', from_bank: lead.name, reason: '原主办行额度紧张，协商改由他行主办' } });
      lead = other;
      t = Math.max(t, ch);
    }
    if (r.chance(0.08)) {
      close(c, t + r.int(60, 150), 'withdrawn', '融资需求取消，企业申请退出');
      return;
    }
    // Credit lines, each drawn in tranches.
    let day = t + r.int(7, 20);
    let firstDisb = true;
    const lines = r.int(1, 3);
    for (let k = 0; k < lines; k++) {
      const amount = r.int(50, 1000) * 100;
      const rate = r.pick([345, 365, 395, 420]);
      const guarantee = r.pick(['信用', '保证', '抵押']);
      c.loans.push({ kind: 'credit', amount, day, bankId: lead.id, rate, term: 12, guarantee, first: 0 });
      c.events.push({ day, kind: 'credit', details: { amount: money(amount), lender: lead.name, rate: (rate / 100).toFixed(2), term_months: 12, guarantee, first_loan: false } });
      const tranches = r.int(4, 10);
      for (let j = 0; j < tranches; j++) {
        day += r.int(1, 4);
        const part = Math.max(1, Math.round(amount / tranches / 100) * 100 - r.int(0, 3) * 100) || 100;
        const first = firstDisb && r.chance(0.4) ? 1 : 0;
        firstDisb = false;
        c.loans.push({ kind: 'disbursement', amount: part, day, bankId: lead.id, rate, term: 12, guarantee, first });
        c.events.push({ day, kind: 'disbursement', details: { amount: money(part), lender: lead.name, rate: (rate / 100).toFixed(2), term_months: 12, guarantee, first_loan: first === 1 } });
      }
      day += r.int(2, 7);
    }
    if (r.chance(0.3)) {
      const rating = r.pick(['satisfied', 'satisfied', 'basically']);
      c.ratings.push({ day, rating });
      c.events.push({ day, kind: 'satisfaction', details: { rating } });
    }
    close(c, day + r.int(2, 12), 'financed', '获得贷款，融资需求已满足');
  }

  function close(c, day, outcome, note) {
    day = Math.max(day, maxDay(c));
    c.closeDay = day;
    c.outcome = outcome;
    c.closeNote = note;
    c.events.push({ day, kind: 'closed', details: { outcome, note } });
    c.ent.freeFrom = day;
    if (r.chance(0.8)) {
      const rd = day + r.int(3, 15);
      const rating = r.pick(['satisfied', 'satisfied', 'satisfied', 'basically', 'unsatisfied']);
      c.ratings.push({ day: rd, rating });
      c.events.push({ day: rd, kind: 'satisfaction', details: { rating } });
    }
  }
}

const money = (cents) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

// ---------------------------------------------------------------- writing
function generate(file, seed) {
  const t0 = performance.now();
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  const init = spawnSync(process.execPath, [bin, '--db', file, 'init', '--admin', ACTOR, '--name', '测试员'], { encoding: 'utf8', env: { ...process.env, XYPZ_ACTOR: ACTOR } });
  if (init.status !== 0) throw new Error(`xypz init failed (${init.status}): ${init.stderr}`);
  const db = new Database(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -400000');
  const r = rng(seed);
  const counts = {};
  const insert = (table, cols, rows) => {
    const chunk = Math.floor(32000 / cols.length);
    const one = (n) => db.prepare(`insert into ${table} (${cols.join(', ')}) values ${Array.from({ length: n }, () => `(${cols.map(() => '?').join(', ')})`).join(', ')}`);
    const full = one(chunk);
    db.transaction(() => {
      for (let i = 0; i < rows.length; i += chunk) {
        const part = rows.slice(i, i + chunk);
        (part.length === chunk ? full : one(part.length)).run(part.flat());
      }
    })();
    counts[table] = (counts[table] ?? 0) + rows.length;
  };

  // Reference data: 95 more districts (each with 11 departments and a finance office), 20 more banks.
  const created = ts(dayOf(FIRST_YEAR, 1, 1) - 1);
  const maxSort = db.prepare('select max(sort_order) as m from region').get().m;
  const newRegions = Array.from({ length: 95 }, (_, i) => [`428${String(i + 1).padStart(3, '0')}`, `第${String(i + 1).padStart(3, '0')}区`, 'district', '[]', 10, maxSort + i + 1]);
  insert('region', ['code', 'name', 'level', 'aliases', 'capacity', 'sort_order'], newRegions);
  const orgRows = [];
  for (const [code, name] of newRegions) {
    orgRows.push([`JRB-${code}`, `${name}金融办`, 'finance-office', null, code, '[]', created]);
    for (const [kind, suffix, full] of DEPARTMENT_KINDS) orgRows.push([`${code}-${suffix}`, `${name}${full}`, 'department', kind, code, `["${name}${kind}"]`, created]);
  }
  NEW_BANKS.forEach((b, i) => orgRows.push([`BANK-${String(i + 1).padStart(2, '0')}`, `${b}鄂州分行`, 'bank', null, '420700', '[]', created]));
  insert('org', ['code', 'name', 'kind', 'dept_kind', 'region_code', 'aliases', 'created_at'], orgRows);
  // Recorded when the database was set up, as `xypz init` records its own organisations: otherwise a published
  // period's report, which sees only what was recorded by its cut-off, would not know these banks.
  db.prepare('update org set recorded_at = (select min(recorded_at) from org)').run();

  const regions = db.prepare("select code, name, capacity from region where level = 'district' order by sort_order").all();
  const orgs = db.prepare('select id, name, kind, dept_kind as kind2, region_code from org order by id').all();
  const banks = orgs.filter((o) => o.kind === 'bank');
  const districts = regions.map((reg, i) => ({
    code: reg.code,
    name: reg.name,
    short: reg.name.replace(/(经济技术开发区|经济区|区)$/, ''),
    codeDigits: /^\d{6}$/.test(reg.code) ? reg.code : `4207${String(90 + i).padStart(2, '0')}`,
    capacity: reg.capacity,
    depts: orgs.filter((o) => o.kind === 'department' && o.region_code === reg.code).map((o) => ({ id: o.id, name: o.name, kind: o.kind2 })),
  }));
  // City-level departments may recommend in every district (their quota is per district and year too).
  const cityDepts = orgs.filter((o) => o.kind === 'department' && o.region_code === '420700').map((o) => ({ id: o.id, name: o.name, kind: o.kind2 }));
  for (const d of districts) d.recommenders = [...d.depts, ...cityDepts];
  if (districts.length !== 100) throw new Error(`expected 100 districts, have ${districts.length}`);

  const { cases, filings } = simulate(r, districts, banks);
  const tSim = performance.now();

  // Ids in date order, as if the rows had been entered over the ten years.
  const live = cases.filter((c) => c.recDay <= END);
  live.sort((a, b) => a.recDay - b.recDay);
  live.forEach((c, i) => (c.id = i + 1));
  const enterprises = [...new Set(live.map((c) => c.ent))].sort((a, b) => a.firstDay - b.firstDay);
  insert('enterprise', ['code', 'name', 'region_code', 'check_ok', 'created_at', 'updated_at'], enterprises.map((e) => [e.code, e.name, e.region, 1, ts(e.firstDay), ts(e.firstDay)]));

  // Each case as of END: later steps have not happened yet.
  const decls = [];
  const vers = [];
  const assigns = [];
  const loans = [];
  const items = [];
  const ratings = [];
  const recls = [];
  const events = [];
  const caseRows = [];
  for (const c of live) {
    const evs = c.events.filter((e) => e.day <= END);
    const dd = c.decls.filter((d) => d.day <= END);
    const ver = c.verDay !== undefined && c.verDay <= END ? c.verDay : undefined;
    const conf = c.confirmDay !== undefined && c.confirmDay <= END ? c.confirmDay : undefined;
    const as = c.assigns.filter((a) => a.day <= END);
    const closed = c.closeDay !== undefined && c.closeDay <= END ? c.closeDay : undefined;
    const recl = c.reclass && c.reclass.day <= END ? c.reclass : undefined;
    const lastDecl = dd.at(-1);
    const stage = closed !== undefined ? 'closed' : ver !== undefined && c.verResult === 'rejected' ? 'rejected' : conf !== undefined ? (as.length > 0 ? 'assigned' : 'confirmed') : ver !== undefined ? 'verified' : dd.length > 0 ? 'declared' : 'recommended';
    const cls = ver !== undefined && c.verResult !== 'rejected' ? (recl ? recl.to : c.verResult) : null;
    const last = evs.reduce((a, e) => (e.day > a ? e.day : a), c.recDay);
    const lead = as.at(-1);
    caseRows.push([
      c.id, c.ent.code, c.dist.code, stage, cls, ISO[c.recDay], c.dept.id, '经营稳定、有融资需求', c.overQuota ? '区重点培育企业，经说明理由超额推荐' : null,
      lastDecl ? ISO[lastDecl.day] : null, lastDecl ? (lastDecl.auth ? 1 : 0) : null, ver !== undefined ? ISO[ver] : null, conf !== undefined ? ISO[conf] : null,
      lead ? lead.bankId : null, as.length > 0 ? ISO[as[0].day] : null, closed !== undefined ? ISO[closed] : null, closed !== undefined ? c.outcome : null, closed !== undefined ? c.closeNote : null,
      ISO[last], ts(c.recDay), ts(last, 60),
    ]);
    dd.forEach((d, i) => decls.push({ c, d, current: i === dd.length - 1 ? 1 : 0 }));
    if (ver !== undefined) vers.push(c);
    for (const a of as) assigns.push({ c, a, ended: a.ended !== null && a.ended <= END ? a.ended : null });
    for (const l of c.loans) if (l.day <= END) loans.push({ c, l });
    for (const it of c.items) if (it.add <= END) items.push({ c, it });
    for (const x of c.ratings) if (x.day <= END) ratings.push({ c, x });
    if (recl) recls.push(c);
    evs.forEach((e, seq) => events.push({ c, e, seq }));
  }
  insert(
    'case_file',
    ['id', 'enterprise_code', 'region_code', 'stage', 'class', 'recommended_on', 'recommended_by', 'recommend_reason', 'over_quota_reason', 'declared_on', 'authorised', 'verified_on', 'confirmed_on', 'lead_bank_id', 'assigned_on', 'closed_on', 'outcome', 'close_note', 'last_progress_on', 'created_at', 'updated_at'],
    caseRows,
  );
  decls.sort((a, b) => a.d.day - b.d.day || a.c.id - b.c.id);
  insert(
    'declaration',
    ['case_id', 'submitted_on', 'submitted_at', 'authorised', 'data', 'meta', 'current', 'batch_id', 'created_at'],
    decls.map(({ c, d, current }) => [
      c.id, ISO[d.day], `${ISO[d.day]} ${String(8 + Math.floor(d.sec / 360)).padStart(2, '0')}:${String(d.sec % 60).padStart(2, '0')}:00`, d.auth ? 1 : 0,
      JSON.stringify({
        name: c.ent.name, code: c.ent.code, region: c.dist.name, industry: c.ent.trade[1], size: ['小型', '微型', '中型'][c.id % 3], founded: ISO[Math.max(0, c.recDay - 800 - (c.id % 4000))],
        capital: `${50 + (c.id % 2950)}.00`, legalRep: ['张伟', '王芳', '李强', '刘洋', '陈静', '杨磊'][c.id % 6], phone: `135${String(c.id).padStart(8, '0')}`,
        address: `${c.dist.name}${['工业园', '经济开发区', '创业大道', '滨湖路'][c.id % 4]}${(c.id % 200) + 1}号`, revenue: `${300 + (c.id % 19700)}.00`, employees: 8 + (c.id % 270),
        demand: `${((c.id % 20) + 1) * 50}.00`, term: [6, 12, 24, 36][c.id % 4], purpose: '补充流动资金', guarantees: ['信用'], difficulties: [DIFFICULTIES[c.id % 6]], authorised: d.auth ? '是' : '否',
      }),
      '{"来源":"问卷星"}', current, null, ts(d.day, d.sec),
    ]),
  );
  vers.sort((a, b) => a.verDay - b.verDay || a.id - b.id);
  insert(
    'verification',
    ['case_id', 'verified_on', 'result', 'basic', 'causes', 'advice', 'experts', 'reason', 'created_at'],
    vers.map((c) =>
      c.verResult === 'rejected'
        ? [c.id, ISO[c.verDay], 'rejected', null, null, null, null, '经营异常，暂不符合培植条件', ts(c.verDay)]
        : [c.id, ISO[c.verDay], c.verResult, `${c.ent.name}主营${c.ent.trade[0]}，经营正常，纳税信用良好。`, '缺少足值抵押物，银行授信审批偏紧。', '建议主办行以信用方式对接。', '张三（工行）,李四（农商行）,王五（区金融办）', null, ts(c.verDay)],
    ),
  );
  assigns.sort((a, b) => a.a.day - b.a.day || a.c.id - b.c.id);
  insert('bank_assignment', ['case_id', 'bank_id', 'mode', 'assigned_on', 'ended_on', 'reason', 'created_at'], assigns.map(({ c, a, ended }) => [c.id, a.bankId, a.mode, ISO[a.day], ended === null ? null : ISO[ended], a.reason, ts(a.day)]));
  loans.sort((a, b) => a.l.day - b.l.day || a.c.id - b.c.id);
  insert('loan', ['case_id', 'bank_id', 'kind', 'amount_cents', 'loan_on', 'rate_bp', 'term_months', 'guarantee', 'first_loan', 'created_at'], loans.map(({ c, l }) => [c.id, l.bankId, l.kind, l.amount, ISO[l.day], l.rate, l.term, l.guarantee, l.first, ts(l.day)]));
  items.sort((a, b) => a.it.add - b.it.add || a.c.id - b.c.id);
  items.forEach((x, i) => (x.it.id = i + 1));
  insert(
    'coaching_item',
    ['id', 'case_id', 'item', 'org_id', 'category', 'due', 'status', 'added_on', 'closed_on', 'note', 'created_at'],
    items.map(({ c, it }) => {
      const done = it.done !== null && it.done <= END;
      return [it.id, c.id, it.item, it.orgId, it.category, ISO[it.due], done ? it.status : 'open', ISO[it.add], done ? ISO[it.done] : null, done ? it.note : null, ts(it.add)];
    }),
  );
  recls.sort((a, b) => a.reclass.day - b.reclass.day);
  insert('reclassification', ['case_id', 'from_class', 'to_class', 'changed_on', 'reason', 'created_at'], recls.map((c) => [c.id, c.reclass.from, c.reclass.to, ISO[c.reclass.day], '辅导事项已办结，具备融资条件', ts(c.reclass.day)]));
  ratings.sort((a, b) => a.x.day - b.x.day || a.c.id - b.c.id);
  insert('satisfaction', ['case_id', 'rating', 'rated_on', 'created_at'], ratings.map(({ c, x }) => [c.id, x.rating, ISO[x.day], ts(x.day)]));
  filings.sort((a, b) => a.day - b.day || (a.region < b.region ? -1 : 1));
  insert('pool_filing', ['region_code', 'filed_on', 'file', 'cases', 'created_at'], filings.map((f) => [f.region, ISO[f.day], `${f.region}-名单报备-${ISO[f.day]}.xlsx`, JSON.stringify(f.cases), ts(f.day)]));

  // Monthly feedback, sent early the next month: most districts, and most banks leading a case then.
  const fb = [];
  const leadsSince = new Map();
  for (const { a } of assigns) if (!leadsSince.has(a.bankId) || leadsSince.get(a.bankId) > a.day) leadsSince.set(a.bankId, a.day);
  for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) {
    for (let m = 1; m <= 12; m++) {
      const month = `${y}-${String(m).padStart(2, '0')}`;
      const on = m === 12 ? dayOf(y + 1, 1, r.int(2, 8)) : dayOf(y, m + 1, r.int(2, 8));
      if (on > END) continue;
      for (const d of districts) if (r.chance(0.9)) fb.push(['district', d.code, month, `${d.name}${month}月信用培植工作：推进企业核查、入库和融资对接，按计划召开联合协商会议。`, ISO[on], null, ts(on), ts(on)]);
      for (const b of banks) if ((leadsSince.get(b.id) ?? Infinity) <= dayOf(y, m, 28) && r.chance(0.8)) fb.push(['bank', String(b.id), month, `${b.name}${month}月：走访主办企业，推进授信审批和放款。`, ISO[on], null, ts(on), ts(on)]);
    }
  }
  insert('feedback', ['from_kind', 'from_key', 'month', 'text', 'submitted_on', 'batch_id', 'created_at', 'updated_at'], fb);

  // The history, in date order.
  events.sort((a, b) => a.e.day - b.e.day || a.c.id - b.c.id || a.seq - b.seq);
  insert(
    'case_event',
    ['case_id', 'region_code', 'on_date', 'kind', 'actor', 'details', 'created_at'],
    events.map(({ c, e }) => [c.id, c.dist.code, ISO[e.day], e.kind, ACTOR, JSON.stringify(typeof e.details === 'function' ? e.details() : e.details), ts(e.day, 120)]),
  );
  if (counts.case_event < MIN_EVENTS) throw new Error(`only ${counts.case_event} case events generated; need ${MIN_EVENTS}`);

  checkInvariants(db);
  db.pragma('journal_mode = WAL'); // as the app leaves it
  db.close();
  return { counts, ms: performance.now() - t0, simMs: tSim - t0 };
}

/** The app's invariants on the generated data; throws on the first broken one. */
function checkInvariants(db) {
  const one = (sql, what) => {
    const n = db.prepare(sql).pluck().get();
    if (n !== 0) throw new Error(`generated data breaks an invariant (${what}): ${n} rows`);
  };
  one("select count(*) from (select enterprise_code from case_file where stage not in ('rejected','closed') group by enterprise_code having count(*) > 1)", 'one open case per enterprise');
  one("select count(*) from (select region_code from case_file where stage in ('confirmed','assigned') group by region_code having count(*) > 10)", '≤ 10 in a list today');
  one('select count(*) from case_file where declared_on < recommended_on or verified_on < declared_on or confirmed_on < verified_on or assigned_on < confirmed_on or closed_on < assigned_on', 'step order');
  one("select count(*) from case_file c join org o on o.id = c.recommended_by where o.kind <> 'department'", 'recommended by a department');
  one("select count(*) from loan l join case_file c on c.id = l.case_id where l.loan_on < c.assigned_on or l.amount_cents <= 0", 'loans after assignment, positive');
  one("select count(*) from (select case_id from bank_assignment where ended_on is null group by case_id having count(*) > 1)", 'one current lead bank');
  one("select count(*) from case_file c where c.lead_bank_id is not (select bank_id from bank_assignment a where a.case_id = c.id and a.ended_on is null)", 'lead bank = current assignment');
  one("select count(*) from case_file c where c.last_progress_on <> (select max(on_date) from case_event e where e.case_id = c.id)", 'last progress = latest event');
  one('select count(*) from case_event where on_date > \'2025-12-31\'', 'nothing after the data set\'s today');
  // At most `capacity` cases in each list on every meeting and filing day (checked on the 1st and 15th of each month).
  const maxActive = db
    .prepare(
      `with recursive d(day) as (select '2016-01-01' union all select case when substr(day, 9) = '01' then substr(day, 1, 8) || '15' else date(day, 'start of month', '+1 month') end from d where day < '2025-12-15')
       select max(n) from (select d.day, c.region_code, count(*) as n from d join case_file c on c.confirmed_on <= d.day and (c.closed_on is null or c.closed_on > d.day) group by d.day, c.region_code)`,
    )
    .pluck()
    .get();
  if (maxActive > 10) throw new Error(`generated data breaks an invariant (≤ 10 in a list): ${maxActive} at once`);
  db.pragma('foreign_key_check').forEach((v) => {
    throw new Error(`foreign key violation: ${JSON.stringify(v)}`);
  });
}

const TABLES = ['region', 'org', 'enterprise', 'case_file', 'declaration', 'verification', 'bank_assignment', 'loan', 'coaching_item', 'reclassification', 'satisfaction', 'pool_filing', 'feedback', 'case_event'];

export function tableCounts(file) {
  const db = new Database(file, { readonly: true });
  try {
    return Object.fromEntries(TABLES.map((t) => [t, db.prepare(`select count(*) from ${t}`).pluck().get()]));
  } finally {
    db.close();
  }
}

/** The database at `file`: reused when its sidecar says it was made by this generator and seed and the counts match. */
export function ensureDatabase(file = DEFAULT_FILE, { seed = SEED, log = console.log } = {}) {
  mkdirSync(dirname(file), { recursive: true });
  const meta = `${file}.json`;
  if (existsSync(file) && existsSync(meta)) {
    const m = JSON.parse(readFileSync(meta, 'utf8'));
    if (m.version === GENERATOR_VERSION && m.seed === seed) {
      const counts = tableCounts(file);
      if (TABLES.every((t) => counts[t] === m.counts[t]) && counts.case_event >= MIN_EVENTS) {
        log(`reusing ${file} (generated in ${(m.ms / 1000).toFixed(1)} s)`);
        return { file, counts, reused: true, ms: m.ms };
      }
    }
    log(`${file} does not match this generator; rebuilding`);
  }
  rmSync(meta, { force: true });
  const tmp = `${file}.tmp`;
  log(`generating ${file} (seed ${seed}) …`);
  const g = generate(tmp, seed);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  renameSync(tmp, file);
  const counts = tableCounts(file);
  writeFileSync(meta, `${JSON.stringify({ version: GENERATOR_VERSION, seed, counts, ms: g.ms }, null, 2)}\n`);
  log(`generated in ${(g.ms / 1000).toFixed(1)} s (simulation ${(g.simMs / 1000).toFixed(1)} s), ${(statSync(file).size / 1048576).toFixed(0)} MB`);
  return { file, counts, reused: false, ms: g.ms };
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const { counts } = ensureDatabase(process.argv[2] ?? DEFAULT_FILE);
  for (const [t, n] of Object.entries(counts)) console.log(`${t.padEnd(18)} ${n.toLocaleString('en-US').padStart(10)}`);
}
