/**
 * docs/figures.md, written from the figure table (src/domain/reporting/figure-table.ts) by `npm run docs`; a test fails
 * when the file and the table disagree.
 */
import { BANK_NOTE, DETAIL_NOTE, FIGURES, GROUPS, labelled, RANKING_RULES, REPORT_NOTES, SPAN_WORD, TOTAL_RULE_TEXT, type FigureDef } from '../domain/reporting/index.js';

const cell = (s: string) => s.replace(/\|/g, '\\|');

function applies(f: FigureDef): string {
  const rows = f.rows.map((r) => (r === 'district' ? '区域' : '金融机构')).join('、');
  const notes = [f.annual ? '仅年报' : '', f.periodic ? '仅月报、季报' : '', f.column === false ? '不作为表格列（JSON 和文字报告中有）' : '', f.terminal === false ? '终端表格不显示' : ''];
  return [rows, ...notes.filter(Boolean)].join('；');
}

/** A name, and how an annual report names it when that differs (本期 reads 本年). */
function named(f: FigureDef, name: (g: FigureDef) => string): string {
  const annual = name(labelled(f, true));
  return name(f) === annual || f.periodic ? name(f) : `${name(f)}（年报：${annual}）`;
}

/** 本期与累计: for each figure with cumulative twins, its keys in each report kind. */
function cumulativeTable(figures: readonly FigureDef[]): string[] {
  const twins = figures.filter((f) => f.span === undefined && figures.some((g) => g.span && g.group === f.group && f.group));
  const key = (f: FigureDef | undefined) => (f ? `\`${f.key}\`` : '');
  const of = (f: FigureDef, span: 'ytd' | 'since_start') => figures.find((g) => g.group === f.group && g.span === span);
  return [
    `| 指标 | 月报、季报：本期 | 月报、季报：${SPAN_WORD.ytd} | 年报：本年 | 年报：${SPAN_WORD.since_start} |`,
    '|---|---|---|---|---|',
    ...twins.map((f) => `| ${GROUPS[f.group!].label} | ${key(f)} | ${key(of(f, 'ytd'))} | ${key(f)} | ${key(of(f, 'since_start'))} |`),
  ];
}

/**
 * 已发布的数字与修订: how a period's figures are published and revised, in a statistician's words. The rules
 * themselves live in the domain (the cut-off in src/domain/core/rules.ts, the late-entry rule and the published
 * view of the records); this is their description for docs/figures.md.
 */
export const PUBLISHED_SECTION: string[] = [
  '## 已发布的数字与修订',
  '',
  '统计数字一经发布就不再改动；发布以后才登记的事项是对已发布数字的修订，单独列示，不悄悄改写原来的数字。',
  '',
  '### 每条记录的两个日期',
  '',
  '- **事件日期**：事情发生的日期，由登记的人给出（推荐、核查、入库、确定主办行、授信放款、辅导事项、评价、办结、容量调整等命令的 `--date`，批量导入表中的日期列）。报表按事件日期把记录归入统计期间。',
  '- **登记日期**：记录写入数据库的日期，取自系统时钟（服务器上取自服务器的时钟），任何账号都不能指定或事后修改。它决定一条记录在哪一天“已经有了”。',
  '- 月度反馈的报送日期、月度报送表的收到日期就是其登记日期：报送是否按时，看它实际登记的日子，而不是表上填写的日期。',
  '- 本版本以前已在数据库中的记录，登记日期按其事件日期计（当时没有记下登记日期）；因此升级后的数据库，以前各期的数字与升级前完全相同。',
  '',
  '### 截止日：初步数与最终数',
  '',
  '- 每个统计期间有一个**截止日**，即其最后一个月的月度反馈报送截止日：月报为次月 10 日（2024年7月的截止日是 2024-08-10）；季报、年报为其最后一个月的截止日（2024年第三季度为 2024-10-10，2024年度为 2025-01-10）。',
  '- 截止日及以前，报表是**初步数**：数字随登记而变化，报表注明“数字会变化”（JSON 中 `"final": false`）。',
  '- 截止日的次日起，报表是**最终数**（`"final": true`）：只统计事件日期在本期内、且登记日期不晚于截止日的记录。此后无论何时生成、无论之后登记了什么，同一期间的报表（JSON、CSV、Excel、Word、网页）内容逐字节相同（有更正时只多一行注明，见下）；报表署的报出日期是截止日的次日（发布日），不是生成的日子。',
  '- 因此最终数报表上的报出日期（Excel、网页表格的“报出日期”，Word 文字报告的落款日期）是它的**发布日**，即截止日的次日（2024年7月的月报为 2024-08-11），而不是生成的那一天；修订数报表和初步数报表的日期是生成的那一天。',
  '- 截止日后没有登记更正的期间，登记表中的数据就是发布时的数据（截止日后登记的其他记录，事件日期都在本期以后），报表直接读取；有更正时，报表按截止日当天结束时已登记的记录计算。',
  '- 最终数不再变化，是因为它已经上报、用于通报排名和考核：同一份报表今天生成和一年后生成必须一样，别人才能据以核对；以后发现的遗漏或差错作为修订公开列示，原发布数仍可查。',
  '- 发布的字节由测试锁定：`test/published-pins.test.ts` 在固定的一天（2025-01-11，2024 年各月、各季度和全年都已是最终数）生成演示数据，把每个最终期间的报表（JSON、CSV、网页、Excel，季报和年报另有 Word）逐个与 `test/fixtures/published-pins.json` 中记下的 SHA-256 比对，有一个字节不同即失败（Excel、Word 文件比对其中每个部件的名称、顺序、日期和解压后的内容，压缩后的字节随 Node 的 zlib 和处理器可能不同；文件还记下生成时 Node 的 ICU 版本，通报排名的拼音顺序和表头在哪里换行取决于它）。程序的改动不得改变已发布的报表；只有口径调整（上面“口径调整”一条，带日期，同时写进每份报表的“说明”）才可以改变以前期间的数字或版式，这时在同一次改动中运行 `npm run pins` 重新记下，别的情况下重新生成它就是悄悄改写已发布的数字。',
  '',
  '### 补录与更正',
  '',
  '- 某个月的截止日已过，这个月就**已结报**。事件日期落在已结报月份的登记叫补录。',
  '- 各区金融办、成员部门、银行的账号不能补录：命令退出码 3，提示如“2024年7月已结报：补录须由人民银行以更正方式登记”，不写入任何数据。批量导入（推荐名单、主办行确定表、满意度问卷回收表、月度报送表）中这样的行与其他不合格的行一样逐行列出、不导入：已结报月份的月度报送表中的授信放款、辅导事项办结同样被拒绝；表中的月度反馈以收到日期为报送日期，截止日以后收到的照常登记为逾期报送，不改变该月的数字。',
  '- 只有人民银行的账号可以补录，并须加 `--correction <理由>` 说明原因（不加时同样退出码 3，并提示加上）；其他账号加 `--correction` 也是退出码 3。批量导入时理由随整批记录。这样登记的就是一项**更正**，记下：更正的内容、登记时间、登记人和理由。',
  '- 月度反馈的报送日期和月度报送表的收到日期同理：只有人民银行的账号可以用 `--correction <理由>` 另给日期（`feedback add --date`、`collect import --received`），例如纸质报表此前已经收到；其他账号给这些选项退出码 3。',
  '- 更正记入它所属期间的修订数，不改变已发布的最终数。事件日期在尚未结报的月份（截止日未过）的登记是正常登记，直接计入该期，不是更正：例如 2025-02-15 登记事件日期为 2025-01-20 的放款，对 2025年1月是更正，对 2025年第一季度和 2025 年度则是正常登记。',
  '',
  '### 更正在报表中的样子',
  '',
  '- 默认的报表是已发布的最终数，保持不变；本期有更正时加注一行“本期有 N 项更正（--revised 查看）”。',
  '- `xypz report monthly|quarterly|annual --period P --revised` 给出计入全部更正后的**修订数**，并附“修订说明”表，每项更正一行：更正内容、登记时间、登记人、理由，以及它改动了哪些数字、由多少改为多少。只列对本期数字有影响的更正。',
  '- 每项更正的影响按登记的先后依次计算：第 k 项的影响 = 计入前 k 项更正的数字 − 计入前 k−1 项更正的数字，因此各项影响相加正好等于修订数 − 发布数。',
  '- JSON 中 `revisions` 列出各项更正及其改动的每个数字（表、行、指标、原数、修订数；两种方式都有）；加 `--revised` 时另有 `"revised": true`，其余数字为修订数。Excel、Word、网页报表都有上述加注，加 `--revised` 时另有“修订说明”表；CSV 只含统计表，默认的 CSV 与发布时逐字节相同，加 `--revised` 时末尾附“修订说明”表。',
  '',
  '### 日期的界限',
  '',
  '- 事件日期早于工程开始日的，拒绝（退出码 3）。开始日由 `xypz init` 记录（`--start`，默认 2023-12-28，即工程通知印发之后）。',
  '- 事件日期晚于今天的，拒绝（退出码 3）。',
  '- 尚未开始的统计期间不能生成报表（退出码 2）。',
  '- 每个部门每区每年推荐 3 家的配额按推荐的事件日期所在年度计算；以前年度已结报，不能再补推荐，所以已结束的年度不会被重新打开。',
  '- 督办清单在某月的截止日过去以前，不把该月的月度反馈列为“未报送”。',
  '',
];

export function figuresMarkdown(): string {
  const figures: readonly FigureDef[] = FIGURES;
  const lines = [
    '# 报表指标',
    '',
    '<!-- 本文件由 `npm run docs` 根据 src/domain/reporting/figure-table.ts 生成，请勿手工修改。 -->',
    '',
    '月报、季报和年报（`xypz report monthly|quarterly|annual`）的每一项指标。JSON、CSV、Excel 报表的列、“说明”工作表和终端表格都由同一张指标表生成，' +
      '因此这里的名称、单位和定义与报表中看到的完全一致（终端表格为了宽度，把同一分组的指标合在一列，如“推荐 本期/本年累计”显示为 3/12，并略去个别指标）。' +
      '“本期”指统计期间（月报为该月，季报为该季度，年报为该年；年报的名称和表头中写作“本年”），“期末”指统计期间的最后一天。',
    '',
    ...REPORT_NOTES.map(([k, v]) => `- ${k}：${v}。`),
    '',
    '## 本期与累计',
    '',
    '月报、季报在本期数旁列本年累计（本年 1 月 1 日至期末），年报在本年数旁列开展以来累计（工程开始日至年末，开始日由 `xypz init` 记录）；表头分两层，上层是指标，下层是“本期”“本年累计”（年报为“本年”“开展以来累计”），不单独写“累计”。' +
      '累计数与本期数用同一个定义，只是统计的时间段不同：金额是这段时间内的金额合计，等于各期金额之和；户数是这段时间内的不同企业数，一户在几个月都有记录只计一户，所以通常小于各月户数之和（首贷户数例外：每户一生只计一次，各期相加等于累计）。' +
      '因此 1 月月报和第一季度季报的本年累计等于本期数，12 月月报和第四季度季报的本年累计等于当年年报的本年数（每个区域、每家银行和合计都如此）。金融机构表中，累计户数计入该企业这段时间内最后一笔授信（放款）当天的主办行，各银行行加“未确定主办行”行等于分区域合计。' +
      'JSON 中每个键在各种报表中含义相同：本期（年报为本年）用不带后缀的键，本年累计的键以 `_ytd` 结尾、只出现在月报和季报中，开展以来累计的键以 `_since_start` 结尾、只出现在年报中：',
    '',
    ...cumulativeTable(figures),
    '',
    ...PUBLISHED_SECTION,
    '## 指标一览',
    '',
    '| JSON 键 | 名称 | 表头分组 | 单位 | 适用 | 合计行 |',
    '|---|---|---|---|---|---|',
    ...figures.map((f) =>
      `| \`${f.key}\` | ${cell(named(f, (g) => g.label))} | ${f.group ? named(f, (g) => `${GROUPS[g.group!].label} → ${g.sub}`) : ''} | ${f.unit} | ${applies(f)} | ${TOTAL_RULE_TEXT[f.total]} |`,
    ),
    '',
    '## 定义',
    '',
    ...figures.map((f) => `- **${f.label}**（\`${f.key}\`）：${f.definition}。`),
    '',
    '## 合计行',
    '',
    '分区域表和金融机构表的最后一行“合计”按每项指标的合计方式得出（金融机构表的合计含“未确定主办行”行）：',
    '',
    ...Object.entries(TOTAL_RULE_TEXT).map(([rule, text]) => `- ${text}：${figures.filter((f) => f.total === rule).map((f) => f.label).join('、')}。`),
    '',
    '## 金融机构',
    '',
    `${BANK_NOTE}金融机构表只有“适用”中含金融机构的指标。`,
    '',
    '## 企业明细',
    '',
    `${DETAIL_NOTE}。JSON 的 \`other_lenders\` 同样列出本期由发放当天主办行以外的银行发放的每一笔授信、放款（区域、企业、当天的主办行、放贷银行、类型、金额、日期）。`,
    '',
    '## 输出',
    '',
    '- JSON：`period`、`start`、`end`、`final`（数字是否已最终确定）、`districts`、`banks`、`banks_unassigned`（“未确定主办行”行）、`banks_other`（“其他单位承办”行：政府部门、区金融办等承办的辅导事项）、`banks_total`（金融机构合计行，含这两行，等于分区域合计）、`total`（分区域合计行）、`other_lenders`（由发放当天主办行以外的银行发放的授信、放款），年报另有 `ranking`。',
    '- CSV：报表的全部表格（分区域、金融机构，年报另有区域和金融机构通报排名），每张表前一行是表名，表与表之间空一行。',
    '',
    '## 年度通报排名',
    '',
    ...RANKING_RULES.map(([k, v]) => `- ${k}：${v}。`),
    '',
    '## 修改指标',
    '',
    '指标表在 `src/domain/reporting/figure-table.ts`（`FIGURES`，每项指标一行；需要新的计数时在 `src/store/figures.ts` 的查询中加一列）。' +
      '改动后运行 `npm run docs` 重新生成本文件；本文件与指标表不一致时测试失败。',
    '',
  ];
  return lines.join('\n');
}
