/**
 * `xypz collect import`: returned collection workbooks through the one import engine. Each workbook says
 * whose it is and for which month in its hidden _xypz sheet; that must match a workbook this database
 * made, its file name and its visible titles. Its loans, coaching progress and feedback are recorded under
 * the rules of `loan`, `coach done/fail` and `feedback add`, by the importing user. A unit's corrected
 * workbook for a month replaces what its earlier one brought in (loans withdrawn, closings reopened);
 * records entered by command are never touched. Rows: rows.ts.
 */
import type { Kysely } from 'kysely';
import { openSheetFile, type SheetRow } from '../../import/sheets.js';
import { localTimestamp } from '../../store/audit.js';
import { casesByIds } from '../../store/cases.js';
import { closuresFromReturns, findWorkbook, insertReturn, itemsByIds, itemsInSpan, loansFromReturns, returnsOf, setReturnRows, type ItemRow, type LoanRow, type ReturnRow } from '../../store/collection.js';
import type { Store } from '../../store/db.js';
import type { DB } from '../../store/schema.js';
import { normaliseText } from '../../util/text.js';
import { audit, authorize, caseTarget, decide, EntryDates, type Actor, type Directory } from '../core/index.js';
import { COLUMNS, digestOf, metaCell, parseMeta, SHEET, SHEETS_OF, titleText, unitLine, type PrefilledKind, type SheetKind } from './book.js';
import { parseFeedback, parseItem, parseLoan, parseReference, type CollectRecord, type Ctx, type FileState } from './rows.js';
import { holdingsOf, monthSpan, unitOf } from './units.js';
import { authorizeFeedback, ItemClosings, loansAudit, reopen, TxCases, withdrawEarlier, writeFeedback, writeItem, writeLoans, type Written } from './write.js';
import type { Counts, FileScope, ImportSpec, SheetSpec } from '../imports/index.js';
import { FirstLoans, LOAN, type LoanRecord } from '../service/index.js';
import { RETURN, returnAudit, type ReturnRecord } from './return.js';
import { monthInWords } from '../../util/dates.js';

/** Whether a file is the unit's return `r` again (the return's identity: unit, month, the file's SHA-256). */
function sameReturn(r: ReturnRow, st: FileState): boolean {
  return RETURN.rowKey(r) === RETURN.key({ orgId: st.unit.org.id, month: st.month, sha256: st.sha256 });
}

/**
 * `received`: the day the workbooks were received, when not today — only the 人民银行 gives one, as a correction
 * with its reason (`correction`), which also lets it enter rows dated in a month already final.
 */
export async function collectImportSpec(store: Store, dir: Directory, who: Actor, opts: { received?: string; correction?: string } = {}): Promise<ImportSpec<CollectRecord>> {
  const dates = await EntryDates.load(store.db, who, opts.correction);
  if (opts.received !== undefined) dates.override(opts.received, '报送表的接收日期', '--received');
  const ctx: Ctx = { who, dir, dates, batchFirstLoans: new Map() };
  const files: FileState[] = [];
  const written = new Map<number, Written>();
  let withdrawnInApply = 0;
  /** The loans each file's earlier returns brought in, read under the write lock (authorizeWrites). */
  const earlierLoans = new Map<number, LoanRow[]>();
  /** The cases the write transaction has read (set when it begins, in authorizeWrites). */
  let txCases: TxCases | undefined;
  /** The coaching items open in a month, of every unit, by id: read once for all the month's workbooks. */
  const itemsOfMonth = new Map<string, Promise<Map<number, ItemRow>>>();
  const monthItems = (month: string) => {
    if (!itemsOfMonth.has(month)) itemsOfMonth.set(month, itemsInSpan(store.db, monthSpan(month)).then((items) => new Map(items.map((i) => [i.id, i]))));
    return itemsOfMonth.get(month)!;
  };
  const state = (f: number) => files.find((s) => s.index === f)!;
  const current = () => files.at(-1)!;

  const kinds = new Map<SheetSpec<CollectRecord>, SheetKind>();
  const sheet = (kind: SheetKind, parse: (row: Parameters<SheetSpec<CollectRecord>['parseRow']>[0], st: FileState) => CollectRecord | undefined, extra: Partial<SheetSpec<CollectRecord>> = {}) => {
    const spec: SheetSpec<CollectRecord> = {
      name: SHEET[kind],
      columns: COLUMNS[kind],
      ...extra,
      parseRow(row) {
        const st = current();
        if (st.ignored.has(row.loc.sheet)) return undefined;
        const rec = parse(row, st);
        if (rec) st.records += 1;
        return rec;
      },
    };
    kinds.set(spec, kind);
    return spec;
  };

  async function beginFile(f: FileScope): Promise<void> {
    if (openSheetFile(f.path).format !== 'xlsx') return f.fail({ reason: '月度报送表应为 xypz collect make 生成的 .xlsx 文件' });
    const rows: SheetRow[] = [];
    for await (const r of f.sheet(SHEET.meta)) rows.push(r);
    const meta = parseMeta(rows);
    if (!meta) return f.fail({ reason: '不是 xypz collect make 生成的报送表（没有隐藏的 _xypz 工作表，或其内容不全），无法确定报送单位和月份' });
    const at = (key: Parameters<typeof metaCell>[0]) => ({ sheet: SHEET.meta, row: Number(metaCell(key).slice(1)), column: key, col: 2 });
    if (digestOf(meta.unitCode, meta.month, meta.manifest) !== meta.digest) {
      return f.fail({ ...at('digest'), reason: '隐藏的 _xypz 工作表被改动，无法核对报送单位、月份和预填内容：请用生成的原表填报' });
    }
    const org = dir.orgs.find((o) => o.code === meta.unitCode);
    const unit = org ? unitOf(dir, org) : undefined;
    if (!org || !unit) return f.fail({ ...at('unit_code'), value: meta.unitCode, reason: '报送单位不是本数据库中的区金融办、银行或政府部门' });
    const month = meta.month;
    const what = `${org.name}${monthInWords(month)}的报送表`;
    const named = /^(\d{4}-\d{2})-(.+)\.xlsx$/i.exec(f.file);
    const namedOrg = named ? dir.findOrg(named[2]!) : undefined;
    if (named && (named[1] !== month || (namedOrg && namedOrg.id !== org.id))) {
      return f.fail({ reason: `文件名表明是${namedOrg?.name ?? named[2]}${named[1]}的报送表，但表内（_xypz 工作表）记录的是${what}：是否把其他单位或其他月份的报送表当成了这一份？` });
    }
    const workbook = await findWorkbook(store.db, org.id, month, meta.digest);
    if (!workbook) {
      return f.fail({ ...at('digest'), reason: `不是本数据库为${org.name}生成的${monthInWords(month)}报送表（没有对应的生成记录）：请用 xypz collect make 重新生成后填报` });
    }
    const twice = files.find((s) => s.unit.org.id === org.id && s.month === month);
    if (twice) return f.fail({ reason: `本批次中已有${what}（${twice.file}）：同一单位同一月份一次只导入一份` });
    if (!decide(who.profile!, 'collect.return', { unitOrgId: org.id, unitName: org.name }).ok) return f.fail({ reason: `${who.profile!.org.name}的账号不能导入${what}` });
    const span = monthSpan(month);
    const sha = f.sha256;
    const received = opts.received ?? who.today;
    if (received < span.start) return f.fail({ reason: `接收日期 ${received} 早于报送月份${monthInWords(month)}` });
    // For the rows' checks only: what the new workbook replaces is read again inside the write transaction.
    const returns = await returnsOf(store.db, month, org.id);
    const holdings = unit.kind === 'bank' ? await holdingsOf(store.db, dir, org.id, month, false) : [];
    const items = await monthItems(month);
    // A corrected workbook replaces the loans of the unit's earlier ones for the month: their 首贷 is not another's.
    const replaced = new Set((await loansFromReturns(store.db, returns.map((r) => r.id))).map((l) => l.id));
    const caseIds = [...new Set([...items.values()].filter((i) => i.org_id === org.id).map((i) => i.case_id))];
    // The items' cases: a bank's own firms were read with its holdings, only the others are read here.
    const held = new Map(holdings.map((h) => [h.caseId, h.case]));
    const cases = new Map(caseIds.flatMap((id) => (held.has(id) ? [[id, held.get(id)!] as const] : [])));
    for (const c of await casesByIds(store.db, caseIds.filter((id) => !held.has(id)))) cases.set(c.id, c);
    const manifest = new Map<PrefilledKind, Map<string, string[]>>([['holdings', new Map()], ['items', new Map()], ['pool', new Map()]]);
    for (const r of meta.manifest) manifest.get(r.sheet)!.set(r.key, r.hashes);
    files.push({
      index: f.index,
      file: f.file,
      sha256: sha,
      unit,
      month,
      span,
      workbookId: workbook.id,
      received,
      manifest,
      seen: new Map([['holdings', new Set()], ['items', new Set()], ['pool', new Set()]]),
      found: new Set(),
      ignored: new Set(),
      holdings: new Map(holdings.map((h) => [h.code, h])),
      byCase: new Map(holdings.map((h) => [h.caseId, h])),
      cases,
      items,
      returns,
      warnings: [],
      loanAllowed: new Set(),
      loanRows: new Map(),
      firstLoans: await FirstLoans.load(store.db, holdings.map((h) => h.code), replaced),
      records: 0,
    });
  }

  function endFile(f: FileScope): void {
    const st = current();
    if (!st || st.index !== f.index) return;
    for (const kind of SHEETS_OF[st.unit.kind]) {
      const prefilled = kind === 'holdings' || kind === 'pool' || kind === 'items';
      if (!st.found.has(kind) && (!prefilled || st.manifest.get(kind)!.size > 0)) f.warn(`${f.file}：没有找到「${SHEET[kind]}」表（按表头识别），该表的内容没有导入`);
    }
    for (const kind of ['holdings', 'items', 'pool'] as const) {
      if (!st.found.has(kind)) continue;
      const missing = [...st.manifest.get(kind)!.keys()].filter((k) => !st.seen.get(kind)!.has(k));
      if (missing.length === 0) continue;
      if (kind === 'items') f.warn(`${f.file}：辅导事项 ${missing.map((k) => `#${k}`).join('、')} 的预填行被删除，视为未报告办理情况`);
      else f.warn(`${f.file}：「${SHEET[kind]}」有 ${missing.length} 行预填企业被删除（仅供核对，不影响导入）`);
    }
    if (st.found.has('feedback') && st.feedbackRow === undefined) f.warn(`${f.file}：「${SHEET.feedback}」没有填写`);
    for (const w of st.warnings) f.warn(w);
  }

  /** The rows above a sheet's header must name this workbook's unit and month. */
  function sheetFound(f: FileScope, s: { name: string; spec: SheetSpec<CollectRecord>; above: { row: number; cells: { text: string }[] }[] }): void {
    const st = current();
    const kind = kinds.get(s.spec)!;
    if (!SHEETS_OF[st.unit.kind].includes(kind)) {
      st.ignored.add(s.name);
      return f.warn(`${f.file}「${s.name}」：${st.unit.org.name}的报送表没有「${SHEET[kind]}」表，已忽略`);
    }
    if (st.found.has(kind)) {
      st.ignored.add(s.name);
      return f.warn(`${f.file}「${s.name}」：已有一张「${SHEET[kind]}」表，这一张已忽略`);
    }
    st.found.add(kind);
    if (s.name !== SHEET[kind]) f.warn(`${f.file}：工作表「${s.name}」按表头识别为「${SHEET[kind]}」`);
    const expect = [normaliseText(titleText(st.unit.org.name, st.month)), normaliseText(unitLine(st.unit.org.name, st.month))];
    s.above.slice(0, 2).forEach((r, i) => {
      const text = r.cells.map((c) => c.text).find(Boolean);
      if (text && text !== expect[i]) {
        f.fail({ sheet: s.name, row: r.row, column: 'A', col: 1, value: text, reason: `与本报送表不符，应为「${expect[i]}」：是否把其他单位或其他月份的报送表当成了这一份？` });
      }
    });
  }

  /**
   * Under the write lock, before anything is written: each unit's earlier returns for the month as they are
   * now (another import of the same unit and month may have committed since this one read its files), the
   * day the workbook counts as received, and the permission for everything the new return may replace.
   */
  async function authorizeWrites(tx: Kysely<DB>, w: Actor): Promise<void> {
    txCases = new TxCases(tx);
    for (const st of files) {
      st.returns = await returnsOf(tx, st.month, st.unit.org.id);
      const latest = st.returns.at(-1);
      // The same file again changes nothing: it keeps the day it was first received.
      if (latest && sameReturn(latest, st)) st.received = latest.received_on;
      authorize(w, 'collect.return', { unitOrgId: st.unit.org.id, unitName: st.unit.org.name });
      const ids = st.returns.map((r) => r.id);
      const loans = await loansFromReturns(tx, ids);
      const items = await closuresFromReturns(tx, ids);
      const cases = await txCases.of([...loans.map((l) => l.case_id), ...items.map((i) => i.case_id)]);
      for (const l of loans) authorize(w, 'case.loan', { ...caseTarget(dir, cases.get(l.case_id)!), lenderOrgId: l.bank_id });
      for (const i of items) authorize(w, 'coach.close', { ...caseTarget(dir, cases.get(i.case_id)!), itemOrgId: i.org_id });
      if (st.feedbackRow !== undefined) authorizeFeedback(w, dir, st);
      earlierLoans.set(st.index, loans);
    }
  }

  async function prepare(tx: Kysely<DB>, w: Actor, batchId: number | null): Promise<void> {
    const entries: Parameters<typeof audit>[2] = [];
    for (const st of files) {
      authorize(w, 'collect.return', { unitOrgId: st.unit.org.id, unitName: st.unit.org.name });
      const latest = st.returns.at(-1);
      let returnId = latest?.id ?? 0;
      if (!latest || !sameReturn(latest, st)) {
        const r: ReturnRecord = { orgId: st.unit.org.id, month: st.month, workbookId: st.workbookId, batchId, file: st.file, sha256: st.sha256, receivedOn: st.received, rows: 0, actor: w.login };
        returnId = await insertReturn(tx, { ...RETURN.toRow(r), created_at: localTimestamp(w.now) });
        entries.push({ entity: 'collection_return', entityId: `${st.unit.org.name} ${st.month}`, after: returnAudit(r, latest ? latest.file : null) });
      }
      const earlier = new Map<string, LoanRow[]>();
      for (const l of earlierLoans.get(st.index) ?? []) {
        const k = LOAN.key(LOAN.fromRow(l));
        if (!earlier.has(k)) earlier.set(k, []);
        earlier.get(k)!.push(l);
      }
      written.set(st.index, { returnId, earlier, items: new Set(), rows: 0, added: [], withdrawn: [] });
    }
    await audit(tx, w, entries);
  }

  /** The chunk's loans by file, but those the unit's earlier workbook for the month already brought in (unchanged). */
  function freshLoans(recs: Extract<CollectRecord, { t: 'loan' }>[], counts: Counts): Map<number, LoanRecord[]> {
    const fresh = new Map<number, LoanRecord[]>();
    let f = -1;
    let bankId = 0;
    let wr: Written | undefined;
    let list: LoanRecord[] = [];
    for (const rec of recs) {
      if (rec.f !== f) {
        f = rec.f;
        bankId = state(f).unit.org.id;
        wr = written.get(f)!;
        list = fresh.get(f) ?? [];
      }
      // The row's fields after these two, not spread before them: see parseLoan (one hidden class for every loan).
      const r: LoanRecord = { bankId, collectionId: wr!.returnId, ...rec.loan };
      wr!.rows += 1;
      const same = wr!.earlier.size > 0 ? wr!.earlier.get(LOAN.key(r)) : undefined;
      if (same && same.length > 0) {
        same.shift();
        counts.unchanged += 1;
      } else {
        if (list.length === 0) fresh.set(f, list);
        list.push(r);
      }
    }
    return fresh;
  }

  async function applyLoans(tx: Kysely<DB>, w: Actor, recs: Extract<CollectRecord, { t: 'loan' }>[], counts: Counts & { withdrawn: number }): Promise<void> {
    const fresh = freshLoans(recs, counts);
    // A new 首贷 of a firm whose 首贷 the unit's earlier workbook for the month reported (this one no longer has
    // it as it was) replaces it: that one is withdrawn first, as finish would, so the firm never has two.
    for (const [f, loans] of fresh) {
      const st = state(f);
      const wr = written.get(f)!;
      const firmOf = (caseId: number) => st.byCase.get(caseId)?.code ?? `#${caseId}`;
      const firms = new Set(loans.filter((r) => r.firstLoan).map((r) => firmOf(r.caseId)));
      const replaced = [...wr.earlier.values()].flat().filter((l) => l.first_loan === 1 && l.kind === 'disbursement' && firms.has(firmOf(l.case_id)));
      if (replaced.length > 0) counts.withdrawn += await withdrawEarlier(tx, w, dir, st, wr, dates, txCases!, replaced);
    }
    await writeLoans(tx, w, dir, [...fresh].map(([f, loans]) => ({ st: state(f), wr: written.get(f)!, loans })), dates, txCases!);
    for (const loans of fresh.values()) counts.added += loans.length;
  }

  return {
    kind: 'collect',
    dates,
    sheets: [
      sheet('holdings', (row, st) => parseReference(row, st, 'holdings'), { checkOnly: true }),
      sheet('loans', (row, st) => parseLoan(row, st, ctx), { computed: ['name'] }),
      sheet('items', (row, st) => parseItem(row, st, ctx)),
      sheet('feedback', (row, st) => parseFeedback(row, st)),
      sheet('pool', (row, st) => parseReference(row, st, 'pool'), { checkOnly: true }),
    ],
    uniqueKeys: (r) => (r.t === 'item' ? [{ column: 'id', key: `${r.f}:${r.item.id}` }] : []),
    beginFile,
    sheetFound,
    endFile,
    authorizeWrites,
    prepare,
    async apply(tx, items, w, batchId) {
      const counts = { added: 0, updated: 0, unchanged: 0, withdrawn: 0 };
      const loans: Extract<CollectRecord, { t: 'loan' }>[] = [];
      for (const { record } of items) if (record.t === 'loan') loans.push(record);
      await applyLoans(tx, w, loans, counts);
      // The chunk's coaching items in one query, not one a row. An item is on one row of a batch (one unit's,
      // its number the row's key in that unit's workbook), so none is written before its row reads it.
      const ids = items.flatMap(({ record }) => (record.t === 'item' ? [record.item.id] : []));
      const byId = await itemsByIds(tx, ids);
      // Their cases in one query too, and the closings of open items written together (in row order).
      const closings = new ItemClosings(tx, w, await txCases!.of([...byId.values()].map((i) => i.case_id)));
      for (const { record } of items) {
        if (record.t === 'loan') continue;
        const st = state(record.f);
        const wr = written.get(record.f)!;
        wr.rows += 1;
        if (record.t === 'feedback') {
          await closings.flush();
          counts[await writeFeedback(tx, w, dir, st, record.text, batchId)] += 1;
        } else {
          wr.items.add(record.item.id);
          counts[await writeItem(tx, w, dir, st, wr, byId.get(record.item.id)!, record.item, dates, closings)] += 1;
        }
      }
      await closings.flush();
      withdrawnInApply += counts.withdrawn;
      return counts;
    },
    async finish(tx, w, _batchId, rejected) {
      let withdrawn = withdrawnInApply;
      const warnings: string[] = [];
      const entries: Parameters<typeof audit>[2] = [];
      for (const st of files) {
        const wr = written.get(st.index)!;
        if (rejected.some((p) => p.file === st.file)) {
          if (st.returns.length > 0) warnings.push(`${st.file} 有未导入的行（--partial），此前报送的记录一概保留、不撤回`);
        } else {
          withdrawn += await withdrawEarlier(tx, w, dir, st, wr, dates, txCases!);
          for (const item of await closuresFromReturns(tx, st.returns.map((r) => r.id))) {
            if (wr.items.has(item.id)) continue;
            await reopen(tx, w, dir, item, st, `${st.unit.org.name}更正后的报送表中没有这一事项`, dates);
            withdrawn += 1;
          }
        }
        if (wr.returnId !== st.returns.at(-1)?.id) await setReturnRows(tx, wr.returnId, wr.rows);
        entries.push(...loansAudit(st, wr));
      }
      await audit(tx, w, entries);
      return { withdrawn, warnings };
    },
  };
}
