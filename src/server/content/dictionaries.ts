import type { Dictionaries } from '../../sdk/schemas/dictionaries.js';

/**
 * Industries of the acceptance scope and problem types. The 七严禁 and 五不准 item texts are quoted exactly from the
 * Henan emergency-management department's announcement (shared/seeds/000). Codes are stable API: never renumber.
 */
export const dictionaries: Dictionaries = {
  version: '2026-11',
  industries: [
    { code: 'coal-mine', name: '煤矿' },
    { code: 'metal-nonmetal-mine', name: '金属与非金属矿山（含尾矿库）' },
    { code: 'chemical', name: '化工（含石油化工）' },
    { code: 'pharmaceutical', name: '医药' },
    { code: 'hazardous-chemicals', name: '危险化学品' },
    { code: 'fireworks', name: '烟花爆竹' },
    { code: 'oil-extraction', name: '石油开采' },
    { code: 'metallurgy', name: '冶金' },
    { code: 'nonferrous', name: '有色' },
    { code: 'building-materials', name: '建材' },
    { code: 'machinery', name: '机械' },
    { code: 'light-industry', name: '轻工' },
    { code: 'textile', name: '纺织' },
    { code: 'tobacco', name: '烟草' },
    { code: 'commerce', name: '商贸' },
    { code: 'other', name: '其他' },
  ],
  problemTypes: [
    { code: 'concealed-accident', name: '涉嫌瞒报谎报生产安全事故', items: [] },
    { code: 'major-hazard', name: '涉嫌存在重大事故隐患', items: [] },
    { code: 'violation', name: '涉嫌存在安全生产违法行为', items: [] },
    {
      code: 'evaluation-agency',
      name: '安全评价机构违法违规',
      hint: '例如：评价人员未到现场勘验，报告内容与企业实际不符、照搬其他项目，或出租、出借资质。',
      items: [
        { code: 'qyj-1', name: '严禁不具备资质条件或者资质过期的机构从事安全评价。' },
        { code: 'qyj-2', name: '严禁超出资质认可业务范围，从事法定安全评价。' },
        { code: 'qyj-3', name: '严禁安全评价项目组组长及负责勘验人员不到现场实际地点开展勘验。' },
        { code: 'qyj-4', name: '严禁安全评价项目组专职安全评价师专业能力不符合配备标准。' },
        { code: 'qyj-5', name: '严禁违反有关法规标准规定，更改或者简化评价程序和相关内容。' },
        { code: 'qyj-6', name: '严禁出租、出借安全评价资质证书和专职安全评价师同时在两个以上安全评价机构从业。' },
        { code: 'qyj-7', name: '严禁出具失实、虚假的安全评价报告。' },
      ],
    },
    {
      code: 'expert-misconduct',
      name: '应急管理专家违规',
      hint: '例如：专家借检查之机向企业推销业务，或参与检查与自己有利害关系的单位。',
      items: [
        { code: 'wbz-1', name: '不准未经许可或授权以应急管理部门名义开展工作。' },
        { code: 'wbz-2', name: '不准利用专家身份便利向被检查单位直接或者变相推销、承揽与本人和所在单位有关的业务。' },
        { code: 'wbz-3', name: '不准违反回避原则参加与被检查单位有利害关系的相关工作。' },
        { code: 'wbz-4', name: '不准泄露国家秘密以及被检查单位的商业秘密和技术秘密。' },
        {
          code: 'wbz-5',
          name: '不准违反《重大行政决策程序暂行条例》等法律法规或党中央、国务院文件要求参与公共决策事项。',
        },
      ],
    },
    { code: 'other', name: '其他', items: [] },
  ],
};
