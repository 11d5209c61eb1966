/** The questionnaire workbook (`declare template`): the question list and a blank sheet to fill or export into. */
import { PLATFORM_COLUMNS, QUESTIONS } from '../domain/intake/index.js';
import { addTable, table, writeBook } from './xlsx.js';
import { headerLines, rowHeight, textWidth, unitsFor } from './sheet-layout.js';
import { BOLD, BORDER, CENTRE, printSetup, setWidths } from './xlsx-form.js';
import { addText } from './xlsx-text.js';

function requirement(q: (typeof QUESTIONS)[number]): string {
  switch (q.kind) {
    case 'money':
      return '数字，单位万元，最多两位小数';
    case 'signedMoney':
      return '数字，单位万元，可为负（亏损）';
    case 'int':
      return '整数';
    case 'date':
      return '日期，如 2018-05-20';
    case 'code':
      return '18 位统一社会信用代码';
    case 'phone':
      return '手机号或固定电话';
    case 'region':
      return '鄂城区 / 华容区 / 梁子湖区 / 葛店经济技术开发区 / 临空经济区';
    case 'multi':
      return `多选：${q.options!.join(' / ')}`;
    default:
      return q.options ? `单选：${q.options.join(' / ')}` : '文字';
  }
}

export async function writeDeclarationTemplate(path: string): Promise<void> {
  await writeBook(path, (wb) => {
    // The question list prints as a table on A4 (the same layout as every table the tool writes).
    addTable(
      wb,
      table({
        name: '问卷题目',
        title: '信用培植工程网上申报问卷题目',
        rows: QUESTIONS.map((q, i) => ({ q, n: i + 1 })),
        columns: [
          { header: '题号', kind: 'int', sum: false, value: (r) => r.n },
          { header: '题目', kind: 'text', key: true, value: (r) => r.q.title },
          { header: '部分', kind: 'text', value: (r) => r.q.group },
          { header: '填写要求', kind: 'text', wrap: true, value: (r) => requirement(r.q) },
          { header: '必答', kind: 'text', value: (r) => (r.q.required ? '是' : '') },
        ],
      }),
    );
    // The blank sheet has the platform's columns, to fill in or export into. Too wide for one page at any
    // readable size, it prints at full size across pages, its header (wrapped between words) on each.
    const blank = wb.addWorksheet('申报数据', { views: [{ state: 'frozen', ySplit: 1 }] });
    const header = ['序号', '提交答卷时间', ...QUESTIONS.map((q, i) => `${i + 1}、${q.title}`)];
    const lines = header.map((h) => headerLines(h, 3));
    blank.getRow(1).values = lines.map((l) => l.join('\n'));
    blank.getRow(1).eachCell((c) => Object.assign(c, { font: BOLD, alignment: CENTRE, border: BORDER }));
    blank.getRow(1).height = rowHeight(Math.max(...lines.map((l) => l.length)));
    setWidths(blank, lines.map((l) => Math.max(10, unitsFor(Math.max(...l.map(textWidth))))));
    blank.getColumn(4).numFmt = '@'; // the credit code as text
    printSetup(blank, 'landscape', [1, 1]);
    blank.pageSetup = { ...blank.pageSetup, fitToPage: false, scale: 100, pageOrder: 'overThenDown' };
    addText(wb, {
      name: '说明',
      paragraphs: [
        { text: '网上申报问卷（信用培植工程）', style: 'title' },
        { text: `按“问卷题目”在问卷平台建题；题目可带题号（如“1、企业名称”“Q2.”“第3题”），导入时会自动去掉。`, style: 'plain' },
        { text: `平台导出的 ${PLATFORM_COLUMNS.join('、')} 等列作为附加信息保留；“提交答卷时间”即申报日期。`, style: 'plain' },
        { text: '多选题的答案可用 ┋、|、、 或 , 分隔。只有经部门推荐的企业可以申报。', style: 'plain' },
        { text: '导入：xypz declare import 导出文件.xlsx [--dry-run] [--partial] [--errors 错误.xlsx]', style: 'plain' },
      ],
    });
  });
}
