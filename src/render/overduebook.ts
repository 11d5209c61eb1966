/** The 督办清单 as a workbook: one sheet per list, each an official form (see xlsx.ts). */
import type { Overdue } from '../domain/reporting/index.js';
import { STALL_DAYS, VACANCY_DAYS } from '../domain/core/index.js';
import { dateInWords, monthInWords } from '../util/dates.js';
import { table, writeTableBook, type FormSpec } from './xlsx.js';

export async function writeOverdueBook(path: string, scope: string, o: Overdue, form: FormSpec): Promise<void> {
  const title = `${scope}信用培植工程督办清单`;
  const period = `截至${dateInWords(o.today)}`;
  const month = monthInWords(o.feedback_month);
  const sheets = [
    table({
      name: '名单空缺',
      title: `${title}（名单空缺超过 ${VACANCY_DAYS} 天）`,
      period,
      serial: true,
      total: 'sum',
      empty: '无',
      rows: o.vacancies,
      columns: [
        { header: '区域', kind: 'text', value: (v) => v.district },
        { header: '名单容量', kind: 'int', unit: '户', value: (v) => v.capacity },
        { header: '在库企业数', kind: 'int', unit: '户', value: (v) => v.active },
        { header: '空缺数', kind: 'int', unit: '个', value: (v) => v.vacancies },
        { header: '空缺起始日期', kind: 'date', value: (v) => v.since ?? '名单尚未建立' },
        { header: '空缺天数', kind: 'int', unit: '天', sum: false, value: (v) => v.days },
      ],
    }),
    table({
      name: '无进展企业',
      title: `${title}（超过 ${STALL_DAYS} 天没有进展的企业）`,
      period,
      serial: true,
      empty: '无',
      rows: o.stalled,
      columns: [
        { header: '企业名称', kind: 'text', value: (s) => s.name },
        { header: '统一社会信用代码', kind: 'text', value: (s) => s.code },
        { header: '区域', kind: 'text', value: (s) => s.district },
        { header: '当前阶段', kind: 'text', value: (s) => s.stage },
        { header: '最近办理日期', kind: 'date', value: (s) => s.last_progress_on },
        { header: '未办理天数', kind: 'int', unit: '天', sum: false, value: (s) => s.days },
      ],
    }),
    table({
      name: '逾期辅导事项',
      title: `${title}（逾期未办结的辅导事项）`,
      period,
      serial: true,
      empty: '无',
      rows: o.coaching,
      columns: [
        { header: '企业名称', kind: 'text', value: (c) => c.name },
        { header: '区域', kind: 'text', value: (c) => c.district },
        { header: '事项编号', kind: 'int', sum: false, value: (c) => c.id },
        { header: '辅导事项', kind: 'text', value: (c) => c.item },
        { header: '承办单位', kind: 'text', value: (c) => c.org },
        { header: '办理期限', kind: 'date', value: (c) => c.due },
        { header: '逾期天数', kind: 'int', unit: '天', sum: false, value: (c) => c.days },
      ],
    }),
    table({
      name: '未报送月度反馈',
      title: `${title}（${month}月度反馈未报送）`,
      period,
      serial: true,
      empty: o.today <= o.feedback_deadline ? `报送截止日 ${o.feedback_deadline} 未过，暂不列出` : '无',
      rows: o.feedback,
      columns: [
        { header: '报送单位', kind: 'text', value: (f) => f.name },
        { header: '类别', kind: 'text', value: (f) => (f.kind === 'district' ? '区' : '主办行') },
      ],
    }),
    table({
      name: '逾期报送月度反馈',
      title: `${title}（${month}月度反馈逾期报送，不计入当月）`,
      period,
      serial: true,
      empty: '无',
      rows: o.feedback_late,
      columns: [
        { header: '报送单位', kind: 'text', value: (f) => f.name },
        { header: '类别', kind: 'text', value: (f) => (f.kind === 'district' ? '区' : '主办行') },
        { header: '报送日期', kind: 'date', value: (f) => f.submitted_on },
        { header: '截止日期', kind: 'date', value: (f) => f.deadline },
      ],
    }),
    table({
      name: '报送表逾期未交回',
      title: `${title}（${month}月度报送表逾期未交回）`,
      period,
      serial: true,
      empty: '无',
      rows: o.collection,
      columns: [
        { header: '报送单位', kind: 'text', value: (c) => c.unit },
        { header: '类别', kind: 'text', value: (c) => c.kind_label },
        { header: '截止日期', kind: 'date', value: (c) => c.deadline },
      ],
    }),
  ];
  await writeTableBook(path, sheets, undefined, form);
}
