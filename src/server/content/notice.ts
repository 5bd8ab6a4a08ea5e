import type { Notice } from '../../sdk/schemas/notice.js';

/**
 * The default reporting notice (举报须知), written for this project in the spirit of the national system's notice
 * and operations manual (shared/seeds/000, 004). A province may serve its own text instead (config `notice`).
 */
export const INDUSTRIES_TEXT =
  '煤矿、金属与非金属矿山（含尾矿库）、化工（含石油化工）、医药、危险化学品、烟花爆竹、石油开采、冶金、有色、建材、机械、轻工、纺织、烟草、商贸等工矿商贸行业';

export const defaultNotice = (minReadSeconds: number): Notice => ({
  version: '2026-11',
  title: '安全生产举报须知',
  minReadSeconds,
  sections: [
    {
      heading: '感谢您关心安全生产',
      blocks: [
        {
          type: 'paragraph',
          text: '您的举报能帮助应急管理部门及时发现和消除安全风险。为使举报得到及时、有效的处理，请在填写前读完以下内容。',
        },
      ],
    },
    {
      heading: '一、我们受理哪些举报',
      blocks: [
        { type: 'paragraph', text: `${INDUSTRIES_TEXT}的生产经营单位，有下列情形之一的，可以在这里举报：` },
        {
          type: 'list',
          ordered: true,
          items: ['涉嫌瞒报、谎报生产安全事故；', '涉嫌存在重大事故隐患；', '涉嫌存在安全生产违法行为。'],
        },
        {
          type: 'paragraph',
          text: '安全评价机构违反“七严禁”、应急管理专家违反“五不准”的行为，也可以在这里举报。',
        },
      ],
    },
    {
      heading: '二、其他安全生产问题',
      blocks: [
        {
          type: 'paragraph',
          text: '交通运输、建筑施工、特种设备、消防等行业领域的安全问题，由负有相应监管职责的部门处理。您提交后，如不属于应急管理部门职责，我们会转交有关部门，并告知您去向。',
        },
      ],
    },
    {
      heading: '三、举报时请注意',
      blocks: [
        {
          type: 'list',
          ordered: false,
          items: [
            '请如实反映情况，写清被举报单位的名称、地址和问题的具体情形，尽量提供照片、视频或文件等证据。',
            '一次举报只写一件事；同一事项正在办理或已经办结的，如无新的证据，请不要重复举报。',
            '请选择问题发生地所在的省、市、县，举报将按照“属地管理、分级负责”的原则交由当地应急管理部门办理。',
            '不得捏造事实、诬告陷害他人；不得在举报中填写涉及国家秘密的内容。',
            '正在发生的事故或紧急险情，请立即拨打 119、120 或 110；安全生产举报投诉热线为 12350。',
          ],
        },
      ],
    },
    {
      heading: '四、办理时限',
      blocks: [
        {
          type: 'paragraph',
          text: '应急管理部门在收到举报后 3 个工作日内决定是否受理；受理后 60 个工作日内完成核查，情况复杂的经批准可延长，延长不超过 30 日。您可以凭举报编码和查询密码随时查询办理进度。',
        },
      ],
    },
    {
      heading: '五、举报人信息保护',
      blocks: [
        {
          type: 'list',
          ordered: false,
          items: [
            '您可以选择匿名举报：我们不收集任何关于您的信息，您凭举报编码和查询密码查询结果。',
            '选择实名举报的，您的姓名和手机号码仅用于办理本举报、与您核实情况和发放举报奖励。',
            '举报人和举报事项的有关信息仅举报经办人员可以查看，严禁透露给被举报单位、个人和其他人员。',
            '经核查属实的实名举报，按照有关规定给予奖励。',
          ],
        },
      ],
    },
  ],
});
