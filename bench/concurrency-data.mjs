// Credit codes and survey exports for bench/concurrency.mjs (the same shapes as test/cases.ts).
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** The first 17 characters of a 统一社会信用代码 with their check character (GB 32100). */
export function withUsccCheck(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i]) * (3 ** i % 31);
  return first17 + USCC_CHARS[(31 - (sum % 31)) % 31];
}

/** A valid 统一社会信用代码, unique per client and case. */
export function uscc(client, n) {
  return withUsccCheck(`91420700MA${String(client).padStart(2, '0')}${String(n).padStart(5, '0')}`);
}

const HEADER = [
  '序号', '提交答卷时间', '所用时间', '来源', '来自IP',
  '1、企业名称：', 'Q2.统一社会信用代码', '第3题 所属区域', '4、所属行业', '5、企业规模', '6、成立日期', '7、注册资本（万元）',
  '8、法定代表人', '9、联系人', '10、联系电话', '11、经营地址', '12、上年营业收入（万元）', '13、上年利润总额（万元）', '14、从业人数',
  '15、上年纳税总额（万元）', '16、主要产品或服务', '17、现有贷款余额（万元）', '18、融资需求金额（万元）', '19、需求期限（月）',
  '20、资金用途', '21、可提供担保方式', '22、融资难原因', '23、是否同意授权查询企业及法定代表人信用信息',
];

/** A survey-platform export (CSV) holding one authorised submission of the enterprise. */
export function declarationCsv(code, name, district) {
  const row = [
    1, '2024/6/15 09:30:00', '312秒', '微信', '219.140.1.2(湖北-鄂州)', name, code, district, 'C 制造业', '小型', '2015-04-20', 500,
    '王建国', '李会计', '13807110001', `${district}葛店大道 8 号`, 1200.5, -35, 46, 18.2, '汽车零部件', 120, 300, 12, '购置原材料',
    '抵押┋保证', '缺乏抵质押物┋经营规模小', '是',
  ];
  return `${HEADER.join(',')}\n${row.join(',')}\n`;
}
