/**
 * The command tree. Only commander definitions live here; every action imports its module lazily, so
 * `--help` and light commands never load exceljs, inquirer or kysely's query code of other commands.
 */
import { Option, type Command } from 'commander';
import type { Act } from '../cli.js';

type Configure = (c: Command) => Command;

/** An option taking several values. Commander detects `<x...>` only after an ASCII word character. */
export function many(flags: string, description: string): Option {
  const o = new Option(flags, description);
  o.variadic = true;
  return o;
}

export function registerCommands(program: Command, act: Act, configure: Configure): void {
  const noun = (name: string, description: string) => configure(program.command(name).description(description));

  program
    .command('init')
    .description('创建数据库并写入鄂州的区域、部门、金融办、人民银行和银行等基础数据')
    .option('--seed <数据>', '基础数据：ezhou（默认）或 none', 'ezhou')
    .option('--admin <登录账号>', '同时创建首个人民银行管理员（已有数据库且没有管理员时也可用）')
    .option('--name <姓名>', '管理员姓名')
    .option('--phone <手机号>', '管理员手机号（可选）')
    .action(act(() => import('./init.js')));

  program
    .command('demo')
    .description('生成演示数据库（默认 ./demo.db）：五个区、约 90 家企业、一年的办理记录')
    .action(act(() => import('./demo.js')));

  const org = noun('org', '机构：列出、添加、导入（区域、政府部门、金融办、人民银行、银行）');
  org
    .command('list')
    .description('列出机构')
    .option('--kind <类型>', '只列某类：pboc 人民银行 / finance-office 金融办 / department 政府部门 / bank 金融机构')
    .option('--district <区域>', '只列某区域（含市级）的机构')
    .action(act(() => import('./org/list.js')));
  org
    .command('add')
    .description('添加一个机构')
    .option('--name <名称>', '机构全称')
    .option('--kind <类型>', 'pboc / finance-office / department / bank（或中文：人民银行/金融办/政府部门/金融机构）')
    .option('--district <区域>', '所属区域（鄂州市或某区）')
    .option('--dept-kind <类别>', '政府部门的类别：发改、科技、经信……')
    .option('--code <代码>', '机构代码（不填则自动生成）')
    .addOption(many('--alias <别名...>', '别名，可多个'))
    .action(act(() => import('./org/add.js')));
  org
    .command('import')
    .description('从 .xlsx 或 .csv 导入机构（列：机构代码、机构名称、机构类型、所属区域、部门类别、别名）')
    .argument('<文件...>', '一个或多个 .xlsx / .csv 文件（同一批次）')
    .option('--dry-run', '只检查，不写入')
    .option('--partial', '只导入有效行，其余报告')
    .option('--errors <文件.xlsx>', '输出标注了错误的副本')
    .action(act(() => import('./org/import.js')));

  const users = noun('users', '平台操作员账号：导入表、保密协议、启用停用');
  users
    .command('template')
    .description('生成空白的《用户信息批量导入表》（含填写说明和下拉选项）')
    .argument('<输出.xlsx>', '输出文件')
    .action(act(() => import('./users/template.js')));
  users
    .command('import')
    .description('导入一个或多个《用户信息批量导入表》（.xlsx / .csv，同一批次、同一事务）')
    .argument('<文件...>', '.xlsx 或 .csv 文件')
    .option('--reviewed-by <机构>', '审核汇总单位（如 华容区金融办）')
    .option('--dry-run', '只检查，不写入')
    .option('--partial', '只导入有效行，其余报告')
    .option('--errors <文件.xlsx>', '输出标注了错误的副本')
    .action(act(() => import('./users/import.js')));
  users
    .command('list')
    .description('列出账号（手机号、身份证号默认掩码）')
    .option('--district <区域>', '所属区域')
    .option('--org <机构>', '所属机构')
    .option('--role <角色>', '管理员 / 操作员 / 查询员')
    .option('--unsigned', '只列未签保密协议的')
    .option('--disabled', '只列已停用的')
    .option('--reveal', '显示完整手机号和身份证号（记入审计日志）')
    .action(act(() => import('./users/list.js')));
  users
    .command('show')
    .description('显示一个账号')
    .argument('<登录账号>')
    .option('--reveal', '显示完整手机号和身份证号（记入审计日志）')
    .action(act(() => import('./users/show.js')));
  users
    .command('disable')
    .description('停用账号（需确认或 --yes）')
    .argument('<登录账号...>')
    .action(act(() => import('./users/disable.js')));
  users
    .command('enable')
    .description('重新启用账号')
    .argument('<登录账号...>')
    .action(act(() => import('./users/enable.js')));
  users
    .command('export')
    .description('导出账号为导入表格式（可修改后再导入；掩码的号码在再导入时保持原值）')
    .argument('<输出.xlsx>')
    .option('--district <区域>', '所属区域')
    .option('--org <机构>', '所属机构')
    .option('--reveal', '导出完整手机号和身份证号（记入审计日志）')
    .action(act(() => import('./users/export.js')));
  users
    .command('agreement')
    .description('登记保密协议的签署日期')
    .argument('<登录账号...>')
    .option('--signed-on <日期>', '签署日期（默认今天）')
    .action(act(() => import('./users/agreement.js')));
  users
    .command('batches')
    .description('列出账号导入批次（文件、sha256、数量、操作人、审核单位、时间）')
    .action(act(() => import('./users/batches.js')));

  program
    .command('recommend')
    .description('成员部门推荐企业（每个部门每区每年原则上不超过 3 家）')
    .option('--code <统一社会信用代码>', '企业的统一社会信用代码')
    .option('--name <企业名称>', '企业名称')
    .option('--district <区域>', '企业所在区')
    .option('--dept <部门>', '推荐部门：类别（如 经信）或名称')
    .option('--date <日期>', '推荐日期（默认今天）')
    .option('--reason <理由>', '推荐理由')
    .option('--over-quota <理由>', '超过每年 3 家时的理由（会记录并在报表中显示）')
    .option('--allow-bad-check', '接受校验位不符的早期试点代码')
    .action(act(() => import('./recommend.js')));

  const enterprise = noun('enterprise', '企业：列表、详情');
  enterprise
    .command('list')
    .description('列出企业（每家企业的当前记录）')
    .option('--district <区域>', '区域')
    .option('--stage <阶段>', 'recommended declared verified rejected confirmed assigned closed（或中文）')
    .option('--class <分类>', 'financing（融资类）或 cultivation（培植类）')
    .action(act(() => import('./enterprise/list.js')));
  enterprise
    .command('show')
    .description('企业详情：当前阶段、下一步、全部办理记录')
    .argument('<统一社会信用代码>')
    .action(act(() => import('./enterprise/show.js')));

  const declare = noun('declare', '网上申报：问卷模板、导入问卷平台导出表、逐题录入');
  declare
    .command('template')
    .description('生成申报问卷的题目清单和空白表')
    .argument('<输出.xlsx>')
    .action(act(() => import('./declare/template.js')));
  declare
    .command('import')
    .description('导入问卷平台的导出表（.xlsx / .csv），同一批次、同一事务')
    .argument('<文件...>')
    .option('--dry-run', '只检查，不写入')
    .option('--partial', '只导入有效行，其余报告')
    .option('--errors <文件.xlsx>', '输出标注了错误的副本')
    .action(act(() => import('./declare/import.js')));
  declare
    .command('add')
    .description('在终端中逐题录入一家企业的申报')
    .argument('<统一社会信用代码>')
    .option('--date <日期>', '申报日期（默认今天）')
    .action(act(() => import('./declare/add.js')));

  const verifyCmd = configure(
    program
      .command('verify')
      .description('联合核查：xypz verify <代码> --class … 记录核查；verify reject 未入选；verify report 核查报告')
      .argument('[统一社会信用代码]')
      .option('--class <分类>', 'financing（融资类）或 cultivation（培植类）')
      .option('--basic <文字>', '基本情况')
      .option('--causes <文字>', '原因分析')
      .option('--advice <文字>', '对策建议')
      .option('--experts <名单>', '核查人员，如 "张三（工行）,李四（农商行）"')
      .option('--date <日期>', '核查日期（默认今天）')
      .action(act(() => import('./verify/verify.js'))),
  );
  verifyCmd
    .command('reject')
    .description('核查结论为未入选')
    .argument('<统一社会信用代码>')
    .option('--reason <理由>', '未入选理由')
    .option('--date <日期>', '日期（默认今天）')
    .action(act(() => import('./verify/reject.js')));
  verifyCmd
    .command('report')
    .description('生成核查报告（模板 templates/核查报告.md）')
    .argument('<统一社会信用代码>')
    .option('--out <文件.md|文件.xlsx>', '输出文件（不给则显示在终端）')
    .action(act(() => import('./verify/report.js')));

  const pool = noun('pool', '区名单（每区在库企业不超过容量，默认 10 家）：查看、确认入库、报备');
  pool
    .command('show')
    .description('各区在库企业、空缺、候选企业')
    .option('--district <区域>', '只看某区')
    .action(act(() => import('./pool/show.js')));
  pool
    .command('confirm')
    .description('联合协商会议确认企业入库（全部成功或全部不做）')
    .argument('<统一社会信用代码...>')
    .option('--district <区域>', '区域')
    .option('--meeting <日期>', '会议日期')
    .action(act(() => import('./pool/confirm.js')));
  pool
    .command('filing')
    .description('生成报市里的名单报备表，并记录报备')
    .option('--district <区域>', '区域')
    .option('--out <文件.xlsx>', '输出文件')
    .option('--filed-on <日期>', '报备日期（默认今天）')
    .action(act(() => import('./pool/filing.js')));
  pool
    .command('capacity')
    .description('设置某区名单容量')
    .argument('<容量>')
    .option('--district <区域>', '区域')
    .action(act(() => import('./pool/capacity.js')));

  program
    .command('assign')
    .description('确定主办金融机构（每家企业一个；更换须说明理由，保留历史）')
    .argument('<统一社会信用代码>')
    .option('--bank <银行>', '主办行')
    .option('--mode <方式>', 'self（自主选择，默认）或 designated（协商指定）')
    .option('--date <日期>', '日期（默认今天）')
    .option('--reason <理由>', '更换主办行的理由')
    .action(act(() => import('./assign.js')));
  program
    .command('loan')
    .description('登记授信或放款（融资类企业；默认由主办行）')
    .argument('<统一社会信用代码>')
    .option('--kind <类型>', 'credit（授信）或 disbursement（放款）')
    .option('--amount <万元>', '金额，万元，最多两位小数')
    .option('--date <日期>', '日期（默认今天）')
    .option('--rate <%>', '年利率，如 3.95')
    .option('--term <月>', '期限（月）')
    .option('--guarantee <方式>', '信用 / 保证 / 抵押 / 质押')
    .option('--first-loan', '首贷（首次从银行获得贷款）')
    .option('--bank <银行>', '放贷银行（默认主办行）')
    .action(act(() => import('./loan.js')));

  const coach = noun('coach', '辅导清单：交给政府部门或主办行办理的事项');
  coach
    .command('add')
    .description('添加辅导事项')
    .argument('<统一社会信用代码>')
    .option('--item <事项>', '事项，如 补办环评手续')
    .option('--org <单位>', '承办的政府部门或本企业的主办行')
    .option('--category <类别>', '类别，如 环保')
    .option('--due <日期>', '期限')
    .option('--date <日期>', '添加日期（默认今天）')
    .action(act(() => import('./coach/add.js')));
  coach
    .command('done')
    .description('辅导事项办结')
    .argument('<编号>')
    .option('--date <日期>', '办结日期（默认今天）')
    .option('--note <说明>', '说明')
    .action(act(() => import('./coach/close.js')));
  coach
    .command('fail')
    .description('辅导事项未办成')
    .argument('<编号>')
    .option('--note <原因>', '原因（必填）')
    .option('--date <日期>', '日期（默认今天）')
    .action(act(() => import('./coach/close.js')));
  coach
    .command('list')
    .description('列出辅导事项')
    .option('--org <单位>', '承办单位')
    .option('--open', '只列未办结')
    .option('--overdue', '只列逾期未办结')
    .option('--code <统一社会信用代码>', '某家企业的')
    .action(act(() => import('./coach/list.js')));

  program
    .command('reclassify')
    .description('调整分类（如培植类辅导后转为融资类）')
    .argument('<统一社会信用代码>')
    .option('--to <分类>', 'financing（融资类）或 cultivation（培植类）')
    .option('--reason <理由>', '理由')
    .option('--date <日期>', '日期（默认今天）')
    .action(act(() => import('./reclassify.js')));
  program
    .command('close')
    .description('办结：获得融资，或退出（须说明原因）；名单空出位置')
    .argument('<统一社会信用代码>')
    .option('--outcome <结果>', 'financed（获得融资）或 withdrawn（退出）')
    .option('--date <日期>', '日期（默认今天）')
    .option('--note <说明>', '说明（退出时必填）')
    .action(act(() => import('./close.js')));
  program
    .command('satisfaction')
    .description('记录企业对服务的评价')
    .argument('<统一社会信用代码>')
    .option('--rating <评价>', '满意 / 基本满意 / 不满意')
    .option('--date <日期>', '日期（默认今天）')
    .action(act(() => import('./satisfaction.js')));
  program
    .command('ledger')
    .description('工作台账：一家企业的全部记录，或某区的台账（--out 导出 .xlsx）')
    .argument('[统一社会信用代码]')
    .option('--district <区域>', '区域台账')
    .option('--out <文件.xlsx>', '导出区域台账')
    .action(act(() => import('./ledger.js')));

  const feedback = noun('feedback', '月度反馈：各区和各主办行每月报送');
  feedback
    .command('add')
    .description('登记一条月度反馈（同一单位同一月份再次登记则更新）')
    .option('--from <区或银行>', '报送单位：区或银行')
    .option('--month <YYYY-MM>', '反馈的月份')
    .option('--text <内容>', '反馈内容')
    .option('--date <日期>', '报送日期（默认今天）')
    .action(act(() => import('./feedback/add.js')));
  feedback
    .command('import')
    .description('导入月度反馈表（列：报送单位、月份、反馈内容、报送日期）')
    .argument('<文件>')
    .option('--dry-run', '只检查，不写入')
    .option('--partial', '只导入有效行，其余报告')
    .option('--errors <文件.xlsx>', '输出标注了错误的副本')
    .action(act(() => import('./feedback/import.js')));
  feedback
    .command('missing')
    .description('列出某月未报送反馈的区和主办行（默认上月）')
    .option('--month <YYYY-MM>', '月份（默认上月）')
    .action(act(() => import('./feedback/missing.js')));

  const report = noun('report', '报表：月报、季报、年报（含通报排名）、督办清单');
  for (const [name, what, example] of [
    ['monthly', '月报', '2024-03'],
    ['quarterly', '季报（含各区季度工作开展情况报告）', '2024Q1'],
    ['annual', '年报（含服务事项、满意率、通报排名和年度总结）', '2024'],
  ] as const) {
    report
      .command(name)
      .description(`${what}；默认上一${name === 'monthly' ? '月' : name === 'quarterly' ? '季度' : '年'}`)
      .option('--period <期间>', `统计期间，如 ${example}`)
      .option('--district <区域>', '只统计某区')
      .option('--out <文件>', `输出文件：.xlsx、.csv、.json${name === 'monthly' ? '' : '、.md（文字报告）'}；可含 {period}`)
      .action(act(() => import('./report/periodic.js')));
  }
  report
    .command('overdue')
    .description('督办清单：名单空缺超 30 天、60 天无进展的企业、逾期辅导事项、未报送月度反馈')
    .option('--month <YYYY-MM>', '检查哪个月的反馈（默认上月）')
    .option('--district <区域>', '只看某区')
    .action(act(() => import('./report/overdue.js')));

  const db = noun('db', '数据库：升级结构、检查、备份、恢复');
  db.command('migrate').description('把数据库结构升级到本程序的版本').action(act(() => import('./db/migrate.js')));
  db.command('check').description('检查数据库完整性、结构版本和文件权限').action(act(() => import('./db/check.js')));
  db
    .command('backup')
    .description('备份数据库（其他进程写入时也得到一致的副本）')
    .argument('<文件>', '备份文件（不能已存在）')
    .action(act(() => import('./db/backup.js')));
  db
    .command('restore')
    .description('用备份文件替换当前数据库（保留被替换的文件）')
    .argument('<文件>', '备份文件')
    .action(act(() => import('./db/restore.js')));

  const auditCmd = noun('audit', '审计日志：查看、校验');
  auditCmd
    .command('log')
    .description('列出所有改动（谁、何时、哪条命令、对象、改动前后）')
    .option('--since <日期>', '只列此日期（含）之后的')
    .option('--actor <登录账号>', '只列某人的')
    .option('--entity <对象>', '只列某类对象的，如 org、user、case')
    .option('--limit <条数>', '最多列出多少条（最新的）')
    .action(act(() => import('./audit/log.js')));
  auditCmd
    .command('verify')
    .description('重新计算审计日志的哈希链，报告第一条被改动、删除或插入的记录')
    .action(act(() => import('./audit/verify.js')));
}
