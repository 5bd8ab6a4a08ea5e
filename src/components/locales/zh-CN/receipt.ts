/** zh-CN texts of the receipt. */
export default {
  heading: '举报已提交',
  intro: '感谢您的举报。请记下以下举报编码和查询密码，凭它们查询办理进度；查询密码只显示这一次。',
  code: '举报编码',
  key: '查询密码',
  routedTo: '办理单位',
  acceptBy: '受理期限',
  acceptByText: (date: string) => `${date}前决定是否受理`,
  print: '打印或保存回执',
  lookup: '查询办理进度',
  another: '再提交一份举报',
  keepSafe: '请妥善保管举报编码和查询密码，不要告诉他人。',
};
