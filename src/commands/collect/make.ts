/** xypz collect make --month --out <dir> [--unit …]: one workbook per unit that reports for the month. */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { collectionDeadline, prepareCollection, recordMade, UNIT_KIND_LABEL } from '../../domain/collection/index.js';
import { DataError } from '../../errors.js';
import { writeCollectBook } from '../../render/collectbook.js';
import { writeFilesAtomic } from '../../render/files.js';
import { printJson, renderTable } from '../../render/output.js';
import { defineCommand, list, text } from '../define.js';
import { session } from '../session.js';
import { dateInWords, monthInWords, parsePeriod } from '../../util/dates.js';

export const command = defineCommand({
  description: '生成某月的月度报送表：每个区金融办、主办行和承办辅导事项的政府部门各一份，只含本单位的数据',
  options: {
    month: text('--month <YYYY-MM>', '报送月份，如 2024-03（2024年3月、202403 均可）')
      .parse((raw) => parsePeriod(raw, 'month', '--month').label)
      .required(),
    out: text('--out <目录>', '报送表写到哪个目录（没有则创建）').required(),
    unit: list('--unit <单位...>', '只生成这些单位的（默认：该月需要报送的全部单位）'),
  },
  examples: ['xypz collect make --month 2024-03 --out 报送表/2024-03', 'xypz collect make --month 2024-03 --out 报送表 --unit 工行 华容区金融办'],
  async run(ctx, _args, opts) {
    const { store, dir, who } = await session(ctx);
    const { month, books } = await prepareCollection(store.db, dir, who, opts.month, opts.unit);
    const out = ctx.path(opts.out);
    try {
      mkdirSync(out, { recursive: true });
    } catch {
      throw new DataError(`无法创建目录 ${opts.out}`);
    }
    if (!statSync(out).isDirectory()) throw new DataError(`${opts.out} 不是目录`);
    const contact = `${who.profile!.org.name} ${who.profile!.name}`;
    // All the workbooks or none, recorded as made only once all are in place.
    await writeFilesAtomic(
      books.map((b) => ({ path: join(out, b.file), write: (tmp) => writeCollectBook(tmp, b.content, b.meta, { contact }) })),
      () => recordMade(store, who, books),
    );
    const rows = books.map((b) => ({
      unit: b.unit.org.name,
      kind: b.unit.kind,
      file: join(out, b.file),
      firms: b.content.holdings.length,
      items: b.content.items.length,
      pool: b.content.pool.length,
    }));
    if (ctx.json) return printJson(ctx, { month, deadline: collectionDeadline(month), workbooks: rows });
    if (books.length === 0) return ctx.out(`${monthInWords(month)}没有需要报送的单位`);
    ctx.out(
      await renderTable(ctx, rows, [
        { header: '单位', value: (r) => r.unit },
        { header: '类型', value: (r) => UNIT_KIND_LABEL[r.kind] },
        { header: '主办企业', value: (r) => r.firms, align: 'right' },
        { header: '辅导事项', value: (r) => r.items, align: 'right' },
        { header: '在库企业', value: (r) => r.pool, align: 'right' },
      ]),
    );
    ctx.out(`已生成 ${books.length} 份${monthInWords(month)}报送表，在 ${out}；报送截止 ${dateInWords(collectionDeadline(month))}。交回后用 xypz collect import 导入`);
  },
});
