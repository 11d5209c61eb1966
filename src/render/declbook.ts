/** The questionnaire workbook (`declare template`): the question list and a blank sheet to fill or export into. */
import { PLATFORM_COLUMNS, QUESTIONS } from '../domain/declarations.js';
import { writeFileAtomic } from './files.js';

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
  const { default: ExcelJS } = await import('exceljs');
  await writeFileAtomic(
    path,
    async (tmp) => {
      const wb = new ExcelJS.Workbook();
      const list = wb.addWorksheet('问卷题目', { views: [{ state: 'frozen', ySplit: 1 }] });
      list.columns = [
        { header: '题号', key: 'n', width: 6 },
        { header: '题目', key: 'title', width: 40 },
        { header: '部分', key: 'group', width: 14 },
        { header: '填写要求', key: 'req', width: 70 },
        { header: '必答', key: 'required', width: 6 },
      ];
      list.getRow(1).font = { bold: true };
      QUESTIONS.forEach((q, i) => list.addRow({ n: i + 1, title: q.title, group: q.group, req: requirement(q), required: q.required ? '是' : '' }));
      const blank = wb.addWorksheet('申报数据', { views: [{ state: 'frozen', ySplit: 1 }] });
      const header = ['序号', '提交答卷时间', ...QUESTIONS.map((q, i) => `${i + 1}、${q.title}`)];
      blank.addRow(header);
      blank.getRow(1).font = { bold: true };
      header.forEach((h, i) => (blank.getColumn(i + 1).width = Math.min(30, Math.max(10, h.length * 2))));
      blank.getColumn(4).numFmt = '@'; // the credit code as text
      const notes = wb.addWorksheet('说明');
      notes.getColumn(1).width = 100;
      [
        '网上申报问卷（信用培植工程）',
        `按“问卷题目”在问卷平台建题；题目可带题号（如“1、企业名称”“Q2.”“第3题”），导入时会自动去掉。`,
        `平台导出的 ${PLATFORM_COLUMNS.join('、')} 等列作为附加信息保留；“提交答卷时间”即申报日期。`,
        '多选题的答案可用 ┋、|、、 或 , 分隔。只有经部门推荐的企业可以申报。',
        '导入：xypz declare import 导出文件.xlsx [--dry-run] [--partial] [--errors 错误.xlsx]',
      ].forEach((t, i) => (notes.getCell(i + 1, 1).value = t));
      notes.getCell(1, 1).font = { bold: true, size: 13 };
      await wb.xlsx.writeFile(tmp);
    },
  );
}
