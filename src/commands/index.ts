/**
 * The command tree: names and one-line summaries, which is all `xypz --help` needs. Each command's module
 * declares its own arguments, options and run (see define.ts) and is imported only when that command runs,
 * so `--help` and light commands never load exceljs, inquirer or other commands' code.
 */
import type { CommandDef } from './define.js';

export interface Entry {
  name: string;
  summary: string;
  /** The command's own definition, for a command that acts (a leaf, or `verify <code>`). */
  load?: () => Promise<CommandDef>;
  /** Subcommands of a noun (`users list`). */
  children?: Entry[];
}

type Module = Record<string, unknown>;

/** A leaf whose module exports `command` (or the named export). */
function leaf(name: string, summary: string, load: () => Promise<Module>, exportName = 'command'): Entry {
  return { name, summary, load: async () => (await load())[exportName] as CommandDef };
}

function noun(name: string, summary: string, children: Entry[], acts?: Entry): Entry {
  return { name, summary, children, load: acts?.load };
}

export const COMMANDS: Entry[] = [
  leaf('init', '创建数据库并写入鄂州的区域、部门、金融办、人民银行和银行等基础数据', () => import('./init.js')),
  leaf('demo', '生成演示数据库（默认 ./demo.db）：五个区、约 90 家企业、一年的办理记录', () => import('./demo.js')),
  noun('org', '机构：列出、添加、导入（区域、政府部门、金融办、人民银行、银行）', [
    leaf('list', '列出机构', () => import('./org/list.js')),
    leaf('add', '添加一个机构', () => import('./org/add.js')),
    leaf('import', '从 .xlsx 或 .csv 导入机构（列：机构代码、机构名称、机构类型、所属区域、部门类别、别名）', () => import('./org/import.js')),
  ]),
  noun('users', '平台操作员账号：导入表、保密协议、启用停用', [
    leaf('template', '生成空白的《用户信息批量导入表》（含填写说明和下拉选项）', () => import('./users/template.js')),
    leaf('import', '导入一个或多个《用户信息批量导入表》（.xlsx / .csv，同一批次、同一事务）', () => import('./users/import.js')),
    leaf('list', '列出账号（手机号、身份证号默认掩码）', () => import('./users/list.js')),
    leaf('show', '显示一个账号', () => import('./users/show.js')),
    leaf('disable', '停用账号（需确认或 --yes）', () => import('./users/disable.js')),
    leaf('enable', '重新启用账号', () => import('./users/enable.js')),
    leaf('login', '为账号建立或更新数据库服务器的登录账号（PostgreSQL），口令写入权限 0600 的文件', () => import('./users/login.js')),
    leaf('export', '导出账号为导入表格式（可修改后再导入；掩码的号码在再导入时保持原值）', () => import('./users/export.js')),
    leaf('agreement', '登记保密协议的签署日期', () => import('./users/agreement.js')),
    leaf('batches', '列出账号导入批次（文件、sha256、数量、操作人、审核单位、时间）', () => import('./users/batches.js')),
  ]),
  noun(
    'recommend',
    '成员部门推荐企业（每个部门每区每年原则上有名额限制）；recommend template / import 批量登记推荐名单',
    [
      leaf('template', '生成空白的推荐名单表（含下拉选项和填写说明）', () => import('./recommend/template.js')),
      leaf('import', '导入推荐名单（.xlsx / .csv，同一批次、同一事务，逐行按推荐规则检查）', () => import('./recommend/import.js')),
    ],
    leaf('recommend', '', () => import('./recommend.js')),
  ),
  noun('enterprise', '企业：列表、详情', [
    leaf('list', '列出企业（每家企业的当前记录）', () => import('./enterprise/list.js')),
    leaf('show', '企业详情：当前阶段、下一步、全部办理记录', () => import('./enterprise/show.js')),
  ]),
  noun('declare', '网上申报：问卷模板、导入问卷平台导出表、逐题录入', [
    leaf('template', '生成申报问卷的题目清单和空白表', () => import('./declare/template.js')),
    leaf('import', '导入问卷平台的导出表（.xlsx / .csv），同一批次、同一事务', () => import('./declare/import.js')),
    leaf('add', '在终端中逐题录入一家企业的申报', () => import('./declare/add.js')),
  ]),
  noun(
    'verify',
    '联合核查：xypz verify <代码> --class … 记录核查；verify reject 未入选；verify report 核查报告',
    [
      leaf('reject', '核查结论为未入选', () => import('./verify/reject.js')),
      leaf('report', '生成核查报告（模板 templates/核查报告.md）', () => import('./verify/report.js')),
    ],
    leaf('verify', '', () => import('./verify/verify.js')),
  ),
  noun('pool', '区名单（每区在库企业不超过名单容量）：查看、确认入库、报备、容量', [
    leaf('show', '各区在库企业、空缺、候选企业', () => import('./pool/show.js')),
    leaf('confirm', '联合协商会议确认企业入库（全部成功或全部不做）', () => import('./pool/confirm.js')),
    leaf('filing', '生成报市里的名单报备表，并记录报备', () => import('./pool/filing.js')),
    leaf('capacity', '设置某区名单容量（自 --date 起执行，保留历史）', () => import('./pool/capacity.js')),
  ]),
  noun(
    'assign',
    '确定主办金融机构（每家企业一个；更换须说明理由，保留历史）；assign template / import 批量登记联合协商会议的决定',
    [
      leaf('template', '生成空白的主办行确定表（含下拉选项和填写说明）', () => import('./assign/template.js')),
      leaf('import', '导入主办行确定表（同一批次、同一事务，逐行按确定主办行的规则检查）', () => import('./assign/import.js')),
    ],
    leaf('assign', '', () => import('./assign.js')),
  ),
  leaf('loan', '登记授信或放款（融资类企业；默认由主办行）', () => import('./loan.js')),
  noun('coach', '辅导清单：交给政府部门或主办行办理的事项', [
    leaf('add', '添加辅导事项', () => import('./coach/add.js')),
    leaf('done', '辅导事项办结', () => import('./coach/close.js'), 'done'),
    leaf('fail', '辅导事项未办成', () => import('./coach/close.js'), 'fail'),
    leaf('list', '列出辅导事项', () => import('./coach/list.js')),
  ]),
  leaf('reclassify', '调整分类（如培植类辅导后转为融资类）', () => import('./reclassify.js')),
  leaf('close', '办结：获得融资，或退出（须说明原因）；名单空出位置', () => import('./close.js')),
  noun(
    'satisfaction',
    '企业对服务的满意度评价：xypz satisfaction <代码> --rating … 登记一条；satisfaction import 导入问卷回收表（人民银行或企业所在区金融办登记）',
    [leaf('import', '导入满意度问卷回收表（列：统一社会信用代码、企业名称、评价、日期），同一批次、同一事务', () => import('./satisfaction/import.js'))],
    leaf('satisfaction', '', () => import('./satisfaction/rate.js')),
  ),
  leaf('ledger', '工作台账：一家企业的全部记录，或某区的台账（--out 导出 .xlsx）', () => import('./ledger.js')),
  noun('feedback', '月度反馈：各区和各主办行每月报送', [
    leaf('add', '登记一条月度反馈（同一单位同一月份再次登记为更正，保留历史）', () => import('./feedback/add.js')),
    leaf('show', '某月月度反馈的报送历史（哪一次计入、哪些逾期）', () => import('./feedback/show.js')),
    leaf('import', '导入月度反馈表（列：报送单位、月份、反馈内容、报送日期）', () => import('./feedback/import.js')),
    leaf('missing', '列出某月未报送反馈的区和主办行（默认上月）', () => import('./feedback/missing.js')),
  ]),
  noun('collect', '月度报送表：生成各单位的报送表、导入交回的报送表、查看交回情况', [
    leaf('make', '生成某月的报送表（每个区金融办、主办行、承办辅导事项的政府部门各一份）', () => import('./collect/make.js')),
    leaf('import', '导入交回的报送表（授信放款、辅导事项办理情况、月度反馈），同一批次、同一事务', () => import('./collect/import.js')),
    leaf('status', '某月各单位报送表的生成、交回、行数和是否按时', () => import('./collect/status.js')),
  ]),
  noun('report', '报表：月报、季报、年报（含通报排名）、督办清单', [
    leaf('monthly', '月报；默认上一月', () => import('./report/periodic.js'), 'monthly'),
    leaf('quarterly', '季报（含各区季度工作开展情况报告）；默认上一季度', () => import('./report/periodic.js'), 'quarterly'),
    leaf('annual', '年报（含服务事项、满意率、通报排名和年度总结）；默认上一年', () => import('./report/periodic.js'), 'annual'),
    leaf('overdue', '督办清单：名单空缺、长期无进展的企业、逾期辅导事项、未报送和逾期报送的月度反馈', () => import('./report/overdue.js')),
  ]),
  noun('db', '数据库：升级结构、检查、备份、恢复、复制', [
    leaf('migrate', '把数据库结构升级到本程序的版本', () => import('./db/migrate.js')),
    leaf('check', '检查数据库完整性、结构版本和文件权限', () => import('./db/check.js')),
    leaf('backup', '备份数据库（其他进程写入时也得到一致的副本）', () => import('./db/backup.js')),
    leaf('restore', '用备份文件替换当前数据库（保留被替换的文件）', () => import('./db/restore.js')),
    leaf('copy', '把整个数据库复制到另一个数据库（SQLite 文件与 PostgreSQL 服务器之间均可），记录、编号和审计链不变', () => import('./db/copy.js')),
  ]),
  noun('audit', '审计日志：查看、校验', [
    leaf('log', '列出所有改动（谁、何时、哪条命令、对象、改动前后）', () => import('./audit/log.js')),
    leaf('verify', '重新计算审计日志的哈希链，报告第一条被改动、删除或插入的记录', () => import('./audit/verify.js')),
    leaf('head', '显示审计日志的记录头（条数:哈希），请记在数据库以外，日后用 audit verify --expect 比对', () => import('./audit/head.js')),
  ]),
  leaf('completion', '输出 shell 补全脚本：xypz completion bash|zsh|fish', () => import('./completion.js')),
];
