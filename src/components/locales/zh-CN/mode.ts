/** zh-CN texts of the anonymous / real-name choice. */
export default {
  heading: '选择举报方式',
  anonymous: '匿名举报',
  anonymousHint: '不填写任何个人信息，我们也不会收集。提交后请记下举报编码和查询密码，凭它们查询办理结果。',
  realName: '实名举报',
  realNameHint: '填写姓名和手机号码。办理部门可以与您联系核实情况；举报经核查属实的，可以按规定领取奖励。',
  required: '请选择匿名举报或实名举报',
};
