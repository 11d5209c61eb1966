/**
 * The coaching list handed to one unit (辅导清单), as a form like every other the tool writes (xlsx.ts): the
 * title, the 承办单位 under it, the 填报单位 line, a numbered table, the signature line with the 报出日期; 宋体,
 * A4, one page wide, the header repeated on every page.
 */
import type { CoachView } from '../domain/enterprises/index.js';
import { table, writeTableBook, type FormSpec } from './xlsx.js';

const STATUS = (i: CoachView) => ({ open: i.overdue ? '逾期未办结' : '未办结', done: '已办结', failed: '未办成', ended: '终止（企业已办结）' })[i.status];

/** `handler`: the unit the items are handed to (or 全部); `form`: who hands the list out, and when. */
export async function writeCoachBook(path: string, items: CoachView[], handler: string, form: FormSpec): Promise<void> {
  const sheet = table({
    name: '辅导清单',
    title: '信用培植工程辅导清单',
    period: `承办单位：${handler}`,
    serial: true,
    empty: '无',
    rows: items,
    columns: [
      { header: '企业名称', kind: 'text', key: true, wrap: true, value: (i) => i.name },
      { header: '统一社会信用代码', kind: 'text', value: (i) => i.code },
      { header: '所在区', kind: 'text', value: (i) => i.district },
      { header: '辅导事项', kind: 'text', wrap: true, value: (i) => i.item },
      { header: '类别', kind: 'text', value: (i) => i.category ?? '' },
      { header: '交办日期', kind: 'date', value: (i) => i.added_on },
      { header: '办理期限', kind: 'date', value: (i) => i.due ?? '' },
      { header: '办理情况', kind: 'text', value: STATUS },
      { header: '办结日期', kind: 'date', value: (i) => i.closed_on ?? '' },
      { header: '说明', kind: 'text', wrap: true, value: (i) => i.note ?? '' },
    ],
  });
  await writeTableBook(path, [sheet], undefined, form);
}
