/**
 * The 核查报告: fields gathered from the declaration and the verification, filled into a template in
 * templates/ that staff may edit (placeholders are {{名称}}).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { NotFoundError, RuleError } from '../../errors.js';
import { currentDeclaration, verificationOf, type CaseRow } from '../../store/cases.js';
import type { DB } from '../../store/schema.js';
import { CLASS_LABEL, type Directory } from '../core/index.js';

export async function verificationReport(db: Kysely<DB>, dir: Directory, c: CaseRow, generatedOn: string): Promise<[string, string][]> {
  const v = await verificationOf(db, c.id);
  if (!v) throw new RuleError(`${c.name}（${c.enterprise_code}）还没有核查，没有核查报告；先运行 xypz verify`);
  if (v.result === 'rejected') throw new RuleError(`${c.name}（${c.enterprise_code}）核查结论为未入选（${v.reason}），没有核查报告`);
  const decl = await currentDeclaration(db, c.id);
  const d = (decl ? JSON.parse(decl.data) : {}) as Record<string, unknown>;
  const show = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : Array.isArray(v) ? (v.length ? v.join('、') : '—') : String(v));
  return [
    ['企业名称', c.name],
    ['统一社会信用代码', c.enterprise_code],
    ['所属区域', dir.regionName(c.region_code)],
    ['推荐部门', dir.orgByIdOrThrow(c.recommended_by).name],
    ['推荐日期', c.recommended_on],
    ['核查日期', v.verified_on],
    ['核查人员', show(v.experts)],
    ['基本情况', show(v.basic)],
    ['所属行业', show(d.industry)],
    ['企业规模', show(d.size)],
    ['成立日期', show(d.founded)],
    ['注册资本', show(d.capital)],
    ['法定代表人', show(d.legalRep)],
    ['从业人数', show(d.employees)],
    ['上年营业收入', show(d.revenue)],
    ['上年利润总额', show(d.profit)],
    ['上年纳税总额', show(d.tax)],
    ['现有贷款余额', show(d.loanBalance)],
    ['融资需求金额', show(d.demand)],
    ['需求期限', show(d.term)],
    ['资金用途', show(d.purpose)],
    ['可提供担保方式', show(d.guarantees)],
    ['融资难原因', show(d.difficulties)],
    ['原因分析', show(v.causes)],
    ['分类', `${CLASS_LABEL[v.result]}（${v.result === 'financing' ? '符合融资条件类' : '信用培植类'}）`],
    ['对策建议', show(v.advice)],
    ['生成日期', generatedOn],
  ];
}

/** templates/ at the package root, found upward from this module (src/domain in tests, dist/ when built). */
export function templatePath(name: string): string {
  let dir = fileURLToPath(new URL('.', import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'templates'))) return join(dir, 'templates', name);
    dir = dirname(dir);
  }
  throw new NotFoundError('找不到 templates/ 目录（安装不完整？）');
}

export function fillTemplate(name: string, fields: [string, string][]): string {
  let text: string;
  try {
    text = readFileSync(templatePath(name), 'utf8');
  } catch {
    throw new NotFoundError(`找不到报告模板 templates/${name}`);
  }
  const map = new Map(fields);
  return text.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (m, key: string) => map.get(key) ?? m);
}
