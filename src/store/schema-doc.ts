/** docs/schema.md: the schema description (src/store/schema.json) as a page for people. */
import type { EngineOnly, SchemaDescription, TableShape } from './schema-shape.js';

const cell = (s: string) => s.replaceAll('|', '\\|');
const cols = (c: string[]) => c.join(', ');

function tableSection(t: TableShape, level = '###'): string[] {
  const out = [`${level} ${t.name}`, '', '| 列 | 类型 | 可空 | 默认 |', '|---|---|---|---|'];
  for (const c of t.columns) {
    const type = c.generated === 'sqlite' ? `${c.type}（文件中自动编号；服务器上由写入审计的程序编号）` : c.generated ? `${c.type}（自动编号，不重复使用）` : c.type;
    out.push(`| ${c.name} | ${type} | ${c.nullable ? '是' : ''} | ${c.default === null ? '' : `\`${cell(c.default)}\``} |`);
  }
  out.push('');
  if (t.primaryKey.length > 0) out.push(`- 主键：${cols(t.primaryKey)}`);
  for (const u of t.unique) out.push(`- 唯一：${cols(u)}`);
  for (const f of t.foreignKeys) out.push(`- 引用：${cols(f.columns)} → ${f.table} (${cols(f.references)})${f.onDelete === 'NO ACTION' ? '' : `，删除时 ${f.onDelete}`}`);
  for (const i of t.indexes) out.push(`- 索引 ${i.name}：${cols(i.columns)}${i.unique ? '（唯一）' : ''}${i.partial ? '（部分行）' : ''}`);
  out.push('');
  return out;
}

function engineSection(title: string, e: EngineOnly): string[] {
  const out = [`## ${title}`, ''];
  if (e.tables.length + e.indexes.length + e.objects.length === 0) return [...out, '无。', ''];
  for (const t of e.tables) out.push(...tableSection(t));
  if (e.indexes.length > 0) {
    out.push('共有的表上只有这里才有的索引：', '');
    for (const i of e.indexes) out.push(`- ${i.table}.${i.name}：${cols(i.columns)}${i.unique ? '（唯一）' : ''}${i.partial ? '（部分行）' : ''}`);
    out.push('');
  }
  if (e.objects.length > 0) {
    out.push('其他对象：', '');
    for (const o of e.objects) out.push(`- ${o}`);
    out.push('');
  }
  return out;
}

export function schemaMarkdown(d: SchemaDescription): string {
  return [
    '# 数据库结构',
    '',
    '由 `npm run schema` 根据两种引擎各自新建的数据库生成（`src/store/schema.json`），不要手改；如何改结构见 [migrations.md](migrations.md)。',
    `类型是两种引擎共同的说法：integer 在 SQLite 是 integer、在 PostgreSQL 是 bigint；text 按字节比较（PostgreSQL 用 collate "C"）。`,
    '',
    `结构版本：SQLite 文件 ${d.versions.sqlite}，PostgreSQL 服务器 ${d.versions.server}。`,
    '',
    '## 两种引擎共有的表',
    '',
    ...d.tables.flatMap((t) => tableSection(t)),
    ...engineSection('只在 SQLite 文件中', d.sqlite),
    ...engineSection('只在 PostgreSQL 服务器上', d.server),
  ]
    .join('\n')
    .replace(/\n+$/, '\n');
}

/** The description as JSON, one column, key or index per line (so a change shows as a small diff). */
export function descriptionJson(d: SchemaDescription): string {
  const flat = (v: unknown) => v === null || typeof v !== 'object' || (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object' || (Array.isArray(x) && x.every((y) => typeof y !== 'object'))));
  const leaf = (v: unknown) => flat(v) || (!Array.isArray(v) && Object.values(v as object).every(flat));
  const write = (v: unknown, indent: string): string => {
    if (leaf(v)) return JSON.stringify(v).replace(/":/g, '": ').replace(/,"/g, ', "');
    const inner = `${indent}  `;
    if (Array.isArray(v)) return v.length === 0 ? '[]' : `[\n${v.map((x) => inner + write(x, inner)).join(',\n')}\n${indent}]`;
    return `{\n${Object.entries(v as object).map(([k, x]) => `${inner}${JSON.stringify(k)}: ${write(x, inner)}`).join(',\n')}\n${indent}}`;
  };
  return `${write(d, '')}\n`;
}
