/** zh-CN texts shared by several elements. */
export default {
  loading: '正在加载…',
  retry: '重试',
  back: '返回上一步',
  continue: '继续',
  change: '修改',
  copy: '复制',
  copied: (what: string) => `${what}已复制`,
  copyFailed: '无法自动复制，请手动抄写',
  errorPrefix: '错误：',
  networkKept: '网络中断，已填写的内容仍在本页，请稍后重试。',
  loadFailed: '加载失败，请检查网络后重试。',
  hotline: '也可以拨打安全生产举报投诉电话 12350。',
  reload: '刷新页面',
  reloadKeeps: '重试仍不成功时，请刷新页面，已填写的内容会保留。',
  largeText: '大字模式',
};
