/** zh-CN texts of <aqjb-intake>. */
export default {
  label: '安全生产举报',
  steps: { notice: '阅读须知', mode: '举报方式', region: '所在地', form: '填写内容', review: '核对提交', receipt: '完成' },
  stepOf: (n: number, total: number, name: string) => `第 ${n} 步，共 ${total} 步：${name}`,
  clearDraft: '清空草稿',
  clearConfirm: '确定清空已填写的内容吗？此操作不能撤销。',
  draftRestored: '已恢复您上次未提交的内容。',
  draftCleared: '草稿已清空。',
  unsupported: '您的浏览器版本过低，无法使用在线举报。请拨打安全生产举报投诉电话 12350，或使用新版浏览器访问应急管理部安全生产举报系统。',
};
