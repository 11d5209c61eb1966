/**
 * `xypz demo`: a realistic demo database built through the same domain functions the commands use —
 * the five Ezhou districts, 90 enterprises with valid credit codes, a year of history from recommendation
 * to closing, loans, coaching items, ratings and monthly feedback. Deterministic for a given today.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RuleError, XypzError } from '../../errors.js';
import { databaseExists, isServerUrl, openStore, type OpenOptions, type Store } from '../../store/db.js';
import { switchDatabase } from '../../store/maintenance.js';
import { copyToNew, replaceByCopy } from '../../store/transfer.js';
import { listCases } from '../../store/cases.js';
import { programmeStart, setProgrammeStart } from '../../store/recording.js';
import { addDays, monthPeriod } from '../../util/dates.js';
import { fileStamp } from '../../util/filenames.js';
import { sweepStaleTemps, tempPathFor } from '../../util/tempfiles.js';
import { Directory, loadProfile, withUsccCheck, type Actor } from '../core/index.js';
import { recommend, recordDeclaration, reject, verify } from '../intake/index.js';
import { addFeedback } from '../collection/index.js';
import { runImport } from '../imports/index.js';
import { confirmIntoPool, poolStatus } from '../pool/index.js';
import { addCoachingItem, assignLeadBank, closeCase, closeCoachingItem, rateService, reclassify, recordLoan } from '../service/index.js';
import { initDatabase } from '../database/index.js';
import { prepareUserImport, setAgreement } from '../accounts/index.js';

/** A small deterministic generator (mulberry32). */
function rng(seed: number) {
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
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: T[]) => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}

const WORDS = ['华晟', '鑫源', '楚天', '鄂兴', '恒达', '凤凰', '金瑞', '长江', '梁湖', '吴都', '洋澜', '葛华', '临港', '明珠', '新港', '汇通', '众鑫', '泰和', '荆楚', '盛世'];
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
] as const;
const DIFFICULTIES = ['缺乏抵质押物', '财务制度不规范', '信用记录不良', '经营规模小', '行业或产业政策限制', '土地环评等手续不全'];
const CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const DISTRICT_ORDER = ['420704', '420703', '420702', 'GDKFQ', 'LKJJQ'];
/**
 * A code's 3rd–8th characters are the registering authority's area (GB/T 2260): a firm in 鄂城区 has 420704.
 * The two functional zones have no area code of their own: their firms are registered by the city's market
 * regulator (its branch office in the zone), so they carry the city's 420700.
 */
const CITY_AREA = '420700';
const areaOf = (regionCode: string) => (/^\d{6}$/.test(regionCode) ? regionCode : CITY_AREA);
const COACHING = [
  ['补办环评手续', '生态环境', '环保'],
  ['完善财务制度，规范记账', '财政', '财务'],
  ['办理不动产权证', '自然资源', '确权'],
  ['申报高新技术企业认定', '科技', '资质'],
  ['纳税信用等级修复', '税务', '信用'],
  ['规范用工和社保缴纳', '市场监管', '合规'],
] as const;

const STAFF = [
  ['demo_op', '李操作', '中国人民银行鄂州市分行', '人民银行', '鄂州市', '操作员'],
  ['pboc_query', '赵查询', '中国人民银行鄂州市分行', '人民银行', '鄂州市', '查询员'],
  ['hr_jrb', '周华容', '华容区金融办', '金融办', '华容区', '操作员'],
  ['ec_jrb', '吴鄂城', '鄂城区金融办', '金融办', '鄂城区', '操作员'],
  ['hr_jxj', '郑经信', '华容区经济和信息化局', '政府部门', '华容区', '操作员'],
  ['icbc_kh', '王工行', '中国工商银行鄂州分行', '金融机构', '鄂州市', '操作员'],
  ['ezrcb_kh', '冯农商', '鄂州农村商业银行', '金融机构', '鄂州市', '操作员'],
];

export interface DemoSummary {
  enterprises: number;
  byStage: Record<string, number>;
  loans: number;
  coachingItems: number;
  feedback: number;
  admin: string;
  sampleCode: string;
}

type Task = { date: string; seq: number; run: () => Promise<void> };

/** The demo database's administrator, who also sets it up. */
export const DEMO_ADMIN = { login: 'demo_admin', name: '演示管理员' };

/** The first day of the demo's year of history (the programme's start in the demo database). */
export function historyStart(today: string): string {
  return addDays(today, -365);
}

export function demoSetupActor(base: { now: Date; today: string }): Actor {
  return { login: DEMO_ADMIN.login, command: 'demo', now: base.now, today: base.today };
}

/**
 * Builds the demo database under a temporary name next to `path` and renames it over `path` only when
 * complete: a demo killed part-way leaves no half-built database (the next run removes the temporary file).
 * A database already at `path` is kept as `db restore` keeps one (`<file>.replaced-<stamp>`, linked aside
 * before the rename); on a server, the demo is built in a private file and copied in, in one transaction,
 * the existing schema kept as `xypz_replaced_<stamp>`. The caller decides whether replacing is wanted.
 */
export async function buildDemo(path: string, base: { now: Date; today: string }, opts: OpenOptions = {}, stamp = fileStamp(base.now)): Promise<DemoSummary & { kept: string | null }> {
  if (isServerUrl(path)) return buildDemoOnServer(path, base, opts, stamp);
  sweepStaleTemps(dirname(path));
  const tmp = tempPathFor(path);
  try {
    // The database is made on the history's first day, and the programme starts then.
    const first = historyStart(base.today);
    await initDatabase(tmp, { ...demoSetupActor(base), today: first }, 'ezhou', DEMO_ADMIN, {}, first);
    const store = await openStore(tmp);
    let summary: DemoSummary;
    try {
      summary = await populateDemo(store, base);
    } finally {
      await store.close();
    }
    return { ...summary, kept: switchDatabase(tmp, path, stamp) };
  } finally {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  }
}

async function buildDemoOnServer(url: string, base: { now: Date; today: string }, opts: OpenOptions, stamp: string): Promise<DemoSummary & { kept: string | null }> {
  const dir = mkdtempSync(join(tmpdir(), 'xypz-demo-'));
  try {
    const file = join(dir, 'demo.db');
    const { kept: _none, ...summary } = await buildDemo(file, base);
    const from = await openStore(file, { readonly: true });
    try {
      if (await databaseExists(url, opts)) return { ...summary, kept: (await replaceByCopy(from, url, stamp, opts)).kept };
      await copyToNew(from, url, opts);
      return { ...summary, kept: null };
    } finally {
      await from.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The demo's year of history, on a database that holds only the Ezhou reference data and DEMO_ADMIN. */
export async function populateDemo(target: Store, base: { now: Date; today: string }): Promise<DemoSummary> {
  const today = base.today;
  const start = historyStart(today);
  // The demo's clock: each step is taken, and recorded, on its own date, as if typed in that day (so the
  // history's periods publish as they would have). Every write and every actor reads it.
  let clock = start;
  const store: Store = { ...target, write: (fn, opts) => target.write(fn, { today: clock, ...opts }) };
  // The programme starts no later than the history (a database made by `init` has the default start).
  await store.write(async (tx) => {
    if ((await programmeStart(tx)) > start) await setProgrammeStart(tx, start);
  });
  const r = rng(20240615);
  const dir = await Directory.load(store.db);
  const actorCache = new Map<string, Actor>();
  const as = async (login: string): Promise<Actor> => {
    if (!actorCache.has(login)) {
      const profile = await loadProfile(store.db, login, dir);
      actorCache.set(login, {
        login,
        command: 'demo',
        now: base.now,
        get today() {
          return clock;
        },
        profile,
      });
    }
    return actorCache.get(login)!;
  };
  const admin = await as('demo_admin');

  // Accounts, through the 用户信息批量导入表 import.
  const tmp = mkdtempSync(join(tmpdir(), 'xypz-demo-'));
  try {
    const csv = join(tmp, '用户信息批量导入表.csv');
    const lines = ['登录账号,用户姓名,所属机构,机构类型,所属区域,用户角色,手机号码'];
    STAFF.forEach((s, i) => lines.push([...s, `1390711${String(1000 + i).padStart(4, '0')}`].join(',')));
    writeFileSync(csv, `\ufeff${lines.join('\n')}\n`);
    await runImport(store, admin, (await prepareUserImport(store.db, dir, admin)).spec, [csv], {});
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  await setAgreement(store, admin, STAFF.map((s) => s[0]), start);
  const bankActor = async (bankId: number | null) => {
    const name = bankId ? dir.orgByIdOrThrow(bankId).name : '';
    return name === '中国工商银行鄂州分行' ? as('icbc_kh') : name === '鄂州农村商业银行' ? as('ezrcb_kh') : admin;
  };
  const officeActor = (region: string) => (region === '420703' ? as('hr_jrb') : region === '420704' ? as('ec_jrb') : Promise.resolve(admin));

  const tasks: Task[] = [];
  let seq = 0;
  const at = (date: string, run: () => Promise<void>) => {
    if (date <= today) tasks.push({ date, seq: seq++, run });
  };
  // Steps that a later state makes impossible (e.g. a full list) are simply not taken.
  const attempt = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (e) {
      if (!(e instanceof XypzError)) throw e;
    }
  };
  const banks = dir.orgs.filter((o) => o.kind === 'bank');
  const codes: string[] = [];

  DISTRICT_ORDER.forEach((regionCode, d) => {
    const region = dir.regionByCodeOrThrow(regionCode);
    const depts = dir.orgs.filter((o) => o.kind === 'department' && o.regionCode === regionCode);
    for (let k = 0; k < 18; k++) {
      const n = d * 16 + k;
      const first17 = `91${areaOf(regionCode)}MA${Array.from({ length: 7 }, () => CODE_CHARS[r.int(0, 30)]).join('')}`;
      const code = withUsccCheck(first17);
      codes.push(code);
      // 20 words × 10 trades: every enterprise gets its own name.
      const [trade, industry] = TRADES[(n + Math.floor(n / WORDS.length)) % TRADES.length]!;
      const name = `${k % 3 === 0 ? '湖北' : '鄂州市'}${WORDS[n % WORDS.length]}${trade}有限公司`;
      const dept = depts[k % depts.length]!;
      // The last two of each district arrive late: verified after the last meeting, they wait as candidates.
      const late = k >= 16;
      const recOn = late ? addDays(today, -40 + (k - 16) * 3) : addDays(start, 5 + k * 18 + r.int(0, 9));
      const financingLike = r.chance(0.55);
      at(recOn, async () => {
        const input = { code, name, district: region.name, dept: dept.code, date: recOn, reason: '经营稳定、有融资需求', overQuota: undefined };
        try {
          await recommend(store, admin, input);
        } catch (e) {
          if (e instanceof RuleError && e.code === 'quota') await recommend(store, admin, { ...input, overQuota: '区重点培育的专精特新企业' });
          else throw e;
        }
        if (!late && !r.chance(0.92)) return;
        const declOn = addDays(recOn, late ? 10 : r.int(3, 20));
        const authorised = late || r.chance(0.93);
        at(declOn, async () => {
          const c = (await listCases(store.db, { regions: [regionCode] })).find((x) => x.enterprise_code === code)!;
          await store.write((tx) =>
            recordDeclaration(
              tx,
              admin,
              {
                caseId: c.id,
                code,
                submittedOn: declOn,
                submittedAt: `${declOn} 10:${String(r.int(10, 59))}:00`,
                data: {
                  name,
                  code,
                  region: region.name,
                  industry,
                  size: r.pick(['小型', '微型', '小型', '中型']),
                  founded: addDays(start, -r.int(800, 6000)),
                  capital: `${r.int(50, 3000)}.00`,
                  legalRep: r.pick(['张伟', '王芳', '李强', '刘洋', '陈静', '杨磊']),
                  contact: r.pick(['李明', '王丽', '赵军']),
                  phone: `1350711${String(2000 + n).padStart(4, '0')}`,
                  address: `${region.name}${r.pick(['工业园', '经济开发区', '创业大道', '滨湖路'])}${r.int(1, 200)}号`,
                  revenue: `${r.int(300, 20000)}.00`,
                  profit: `${r.int(-50, 800)}.00`,
                  employees: r.int(8, 280),
                  tax: `${r.int(5, 600)}.00`,
                  products: `${trade}产品与服务`,
                  loanBalance: `${r.int(0, 800)}.00`,
                  demand: `${r.int(1, 20) * 50}.00`,
                  term: r.pick([6, 12, 12, 24, 36]),
                  purpose: r.pick(['购买原材料', '扩大生产', '技术改造', '补充流动资金']),
                  guarantees: r.chance(0.5) ? ['信用'] : ['抵押', '保证'],
                  difficulties: [r.pick(DIFFICULTIES), r.pick(DIFFICULTIES)].filter((x, i, a) => a.indexOf(x) === i),
                  authorised: authorised ? '是' : '否',
                },
                meta: { 来源: '问卷星（演示数据）' },
              },
              null,
            ),
          );
          if (!authorised) return;
          const verOn = late ? addDays(today, -2) : addDays(declOn, r.int(7, 25));
          at(verOn, async () => {
            const office = await officeActor(regionCode);
            if (!late && r.chance(0.1)) {
              await reject(store, office, { code, reason: '经营异常，暂不符合培植条件', date: verOn });
              return;
            }
            await verify(store, office, {
              code,
              class: financingLike ? 'financing' : 'cultivation',
              basic: `${name}主营${trade}，经营正常，纳税信用良好。`,
              causes: financingLike ? '缺少足值抵押物，银行授信审批偏紧。' : '财务核算不规范，部分资质手续不全。',
              advice: financingLike ? '建议主办行以信用方式对接，适当提高额度。' : '建议先规范财务、补办手续，辅导后转入融资类。',
              experts: '张三（工行）,李四（农商行）,王五（区金融办）',
              date: verOn,
            });
          });
        });
      });
    }
  });

  // Monthly joint consultation meetings confirm candidates into vacancies; what follows is scheduled then.
  const afterConfirm = (code: string, meeting: string, regionCode: string) => {
    const assignOn = addDays(meeting, r.int(5, 12));
    at(assignOn, async () => {
      const bank = r.pick(banks);
      await assignLeadBank(store, await officeActor(regionCode), { code, bank: bank.name, mode: r.chance(0.7) ? 'self' : 'designated', date: assignOn });
      const c = (await listCases(store.db, { regions: [regionCode] })).find((x) => x.enterprise_code === code && x.stage === 'assigned')!;
      if (r.chance(0.06)) {
        const changeOn = addDays(assignOn, r.int(20, 50));
        at(changeOn, async () => {
          const other = banks.find((b) => b.id !== c.lead_bank_id)!;
          await attempt(async () => assignLeadBank(store, admin, { code, bank: other.name, mode: 'designated', date: changeOn, reason: '原主办行额度紧张，协商改由他行主办' }));
        });
      }
      if (c.class === 'financing') financing(code, assignOn, regionCode);
      else coaching(code, assignOn, regionCode);
    });
  };
  const financing = (code: string, from: string, regionCode: string) => {
    const creditOn = addDays(from, r.int(15, 40));
    at(creditOn, async () => {
      const c = (await listCases(store.db, { regions: [regionCode] })).find((x) => x.enterprise_code === code && x.stage === 'assigned');
      if (!c) return;
      const amount = r.int(10, 60) * 10 * 100;
      const who = await bankActor(c.lead_bank_id);
      await recordLoan(store, who, { code, kind: 'credit', amount, date: creditOn, rate: r.pick(['3.45', '3.65', '3.95', '4.20']), term: '12', guarantee: r.pick(['信用', '保证', '抵押']), firstLoan: false, bank: undefined });
      const disbOn = addDays(creditOn, r.int(10, 30));
      at(disbOn, async () => {
        const now = (await listCases(store.db, { regions: [regionCode] })).find((x) => x.enterprise_code === code && x.stage === 'assigned');
        if (!now) return;
        const w = await bankActor(now.lead_bank_id);
        await recordLoan(store, w, { code, kind: 'disbursement', amount: Math.round((amount * r.int(5, 10)) / 10 / 100) * 100, date: disbOn, rate: '3.95', term: '12', guarantee: '信用', firstLoan: r.chance(0.4), bank: undefined });
        if (!r.chance(0.7)) return;
        const closeOn = addDays(disbOn, r.int(30, 90));
        at(closeOn, async () => {
          await attempt(async () => closeCase(store, await officeActor(regionCode), { code, outcome: 'financed', date: closeOn, note: '获得首笔贷款，融资需求已满足' }));
          const rateOn = addDays(closeOn, r.int(3, 15));
          at(rateOn, async () => attempt(async () => rateService(store, admin, { code, rating: r.pick(['satisfied', 'satisfied', 'satisfied', 'basically', 'unsatisfied']), date: rateOn })));
        });
      });
    });
  };
  const coaching = (code: string, from: string, regionCode: string) => {
    const depts = dir.orgs.filter((o) => o.kind === 'department' && o.regionCode === regionCode);
    const picks = [r.pick([...COACHING]), r.pick([...COACHING])].filter((x, i, a) => a.indexOf(x) === i);
    let lastDone = from;
    picks.forEach(([item, kind, category], i) => {
      const addOn = addDays(from, r.int(3, 10) + i);
      const due = addDays(addOn, r.int(30, 60));
      const doneOn = addDays(addOn, r.int(15, 80));
      if (doneOn > lastDone) lastDone = doneOn;
      at(addOn, async () => {
        const dept = depts.find((o) => o.deptKind === kind) ?? depts[0]!;
        const c = (await listCases(store.db, { regions: [regionCode] })).find((x) => x.enterprise_code === code && x.stage === 'assigned');
        if (!c) return;
        const added = await addCoachingItem(store, await bankActor(c.lead_bank_id), { code, item, org: dept.name, category, due, date: addOn });
        const fate = r.next();
        if (fate < 0.15) return; // still open: some fall past their due date
        at(doneOn, async () => attempt(async () => closeCoachingItem(store, admin, fate < 0.25 ? { id: added.id, status: 'failed', note: '企业未能提供所需材料', date: doneOn } : { id: added.id, status: 'done', date: doneOn })));
      });
    });
    const nextOn = addDays(lastDone, r.int(5, 20));
    at(nextOn, async () => {
      if (r.chance(0.5)) {
        await attempt(async () => reclassify(store, admin, { code, to: 'financing', reason: '辅导事项已办结，具备融资条件', date: nextOn }));
        financing(code, nextOn, regionCode);
      } else if (r.chance(0.15)) {
        await attempt(async () => closeCase(store, admin, { code, outcome: 'withdrawn', date: nextOn, note: '企业经营调整，主动退出' }));
      }
    });
  };
  for (let m = 1; m <= 12; m++) {
    const month = addDays(start, 30 * m).slice(0, 7);
    const meeting = `${month}-15`;
    for (const regionCode of DISTRICT_ORDER) {
      at(meeting, async () => {
        const region = (await Directory.load(store.db)).regionByCodeOrThrow(regionCode);
        const status = await poolStatus(store.db, dir, region, meeting);
        const picks = status.candidates.filter((c) => c.verified_on <= meeting).slice(0, status.vacancies);
        if (picks.length === 0) return;
        await confirmIntoPool(store, await officeActor(regionCode), { district: region.name, meeting, codes: picks.map((p) => p.code) });
        for (const p of picks) afterConfirm(p.code, meeting, regionCode);
      });
    }
    // Feedback for the previous month, early in this one.
    const prev = monthPeriod(Number(month.slice(0, 4)), Number(month.slice(5, 7))).start;
    const fbMonth = addDays(prev, -1).slice(0, 7);
    // A month before the programme's start owes no feedback (the history may begin late in a month).
    if (fbMonth < start.slice(0, 7)) continue;
    const fbOn = `${month}-0${r.int(2, 8)}`;
    at(fbOn, async () => {
      for (const regionCode of DISTRICT_ORDER) {
        if (!r.chance(0.85)) continue;
        const region = dir.regionByCodeOrThrow(regionCode);
        await addFeedback(store, await officeActor(regionCode), { from: region.name, month: fbMonth, text: `${region.name}${fbMonth}月信用培植工作：推进企业核查、入库和融资对接，按计划召开联合协商会议。`, date: fbOn });
      }
      const leading = new Set((await listCases(store.db, { stages: ['assigned'] })).map((c) => c.lead_bank_id));
      for (const b of banks) {
        if (!leading.has(b.id) || !r.chance(0.8)) continue;
        await addFeedback(store, await bankActor(b.id), { from: b.name, month: fbMonth, text: `${b.name}${fbMonth}月：走访主办企业，推进授信审批和放款。`, date: fbOn });
      }
    });
  }

  while (tasks.length > 0) {
    let best = 0;
    for (let i = 1; i < tasks.length; i++) {
      const t = tasks[i]!;
      const b = tasks[best]!;
      if (t.date < b.date || (t.date === b.date && t.seq < b.seq)) best = i;
    }
    const [task] = tasks.splice(best, 1);
    clock = task!.date;
    await task!.run();
  }

  const all = await listCases(store.db);
  const byStage: Record<string, number> = {};
  for (const c of all) byStage[c.stage] = (byStage[c.stage] ?? 0) + 1;
  const count = async (t: 'loan' | 'coaching_item' | 'feedback') =>
    Number((await store.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const sample = all.find((c) => c.stage === 'closed' && c.outcome === 'financed') ?? all[0]!;
  return {
    enterprises: new Set(all.map((c) => c.enterprise_code)).size,
    byStage,
    loans: await count('loan'),
    coachingItems: await count('coaching_item'),
    feedback: await count('feedback'),
    admin: 'demo_admin',
    sampleCode: sample.enterprise_code,
  };
}
