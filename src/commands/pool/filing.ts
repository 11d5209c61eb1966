/** xypz pool filing: the district list filed (报备) with the city office, as a workbook; the filing is recorded. */
import { filingStatus, recordFiling } from '../../domain/pool/index.js';
import { CLASS_LABEL, reportingUnit, STAGE_LABEL } from '../../domain/core/index.js';
import { checkOutputPath } from '../../render/files.js';
import { printJson } from '../../render/output.js';
import { writeTableBook } from '../../render/xlsx.js';
import type { CaseClass, Stage } from '../../store/schema.js';
import { dateInWords } from '../../util/dates.js';
import { dateOpt, defineCommand, text } from '../define.js';
import { askDistrictFor } from '../askers.js';
import { session } from '../session.js';

export const command = defineCommand({
  options: {
    district: text('--district <区域>', '区域').required().ask(askDistrictFor('pool.filing')),
    out: text('--out <文件.xlsx>', '输出文件').required(),
    filedOn: dateOpt('--filed-on <日期>', '报备日期（默认今天）'),
  },
  async run(ctx, _args, opts) {
    const out = checkOutputPath(ctx.path(opts.out), ['.xlsx']);
    const filedOn = opts.filedOn;
    const { store, dir, who } = await session(ctx);
    const { region, status } = await filingStatus(store.db, dir, who, opts.district, filedOn); // before anything is written
    type Row = (typeof status.active)[number];
    await writeTableBook(
      out,
      [
        {
          name: '名单',
          title: `${region.name}信用培植企业名单`,
          period: `报备日期：${dateInWords(filedOn)}`,
          serial: true,
          columns: [
            { header: '统一社会信用代码', kind: 'text', value: (r: Row) => r.code },
            { header: '企业名称', kind: 'text', value: (r: Row) => r.name },
            { header: '分类', kind: 'text', value: (r: Row) => (r.class ? CLASS_LABEL[r.class as CaseClass] : '') },
            { header: '阶段', kind: 'text', value: (r: Row) => STAGE_LABEL[r.stage as Stage] },
            { header: '主办金融机构', kind: 'text', value: (r: Row) => r.lead_bank ?? '' },
            { header: '入库日期', kind: 'date', value: (r: Row) => r.confirmed_on },
          ],
          rows: status.active,
        },
      ],
      {
        lines: [
          ['区域', region.name],
          ['报备日期', filedOn],
          ['名单容量', String(status.capacity)],
          ['在库企业', String(status.active.length)],
          ['空缺', String(status.vacancies)],
          ['生成', `xypz，${ctx.today()}`],
        ],
      },
      { unit: reportingUnit(dir, who, region.code), date: ctx.today() },
    );
    const id = await recordFiling(store, who, region, filedOn, out, status);
    if (ctx.json) return printJson(ctx, { path: out, filing_id: id, district: region.name, filed_on: filedOn, cases: status.active.length });
    ctx.out(out);
  },
});
