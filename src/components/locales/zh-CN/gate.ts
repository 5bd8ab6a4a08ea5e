/** zh-CN texts of the gate part. Full-width punctuation; a space around Latin letters and digits (「15 秒」). */
export default {
  /** Heading while the notice loads, and above a province's own notice text. */
  title: '举报须知',
  loading: '正在加载举报须知，请稍候……',
  preparing: '正在准备，请稍候……',
  loadFailed: '举报须知暂时没有加载出来，可能是网络不稳定。请检查网络后点“重试”；如果仍然不行，请过几分钟再试。',
  retry: '重试',
  /** The accept button while the reader still has to wait (seen, not spoken: it changes every second). */
  countdown: (seconds: number) => `请阅读须知（${seconds} 秒）`,
  /** The same button's spoken name: it stays the same while the number counts down. */
  countdownName: '请阅读须知',
  /** The button's description: how long is left. */
  remaining: (seconds: number) => `还需阅读 ${seconds} 秒`,
  confirming: '正在确认，请稍候',
  accept: '我已阅读以上条款',
  /** Spoken once, when the notice appears. */
  wait: (seconds: number) => `请阅读须知，${seconds} 秒后可继续`,
  /** Spoken once, when the button can be used. */
  ready: '现在可以继续',
  /** Shown (and spoken) when the button is pressed before the time is up. */
  early: (seconds: number) => `请先阅读上面的须知，${seconds} 秒后就可以点击“我已阅读以上条款”。`,
  confirmFailed: '网络不稳定，暂时无法确认您已阅读须知。请检查网络后点“重试”，不用重新阅读。',
  receiptExpired: '本次阅读记录已失效，请点“重新阅读”，再读一遍须知。',
  /** The page's automatic check (proof-of-work) was refused several times in a row. */
  checkFailed: '页面的自动校验没有通过，已经重试过几次。请点“重试”；如果仍然不行，请刷新页面，或换一个浏览器再打开本页。',
  reread: '重新阅读',
  /** Under a failure that a retry may not mend, beside 「刷新页面」. */
  reloadHint: '重试仍不成功时，请刷新页面，再读一遍须知；也可以拨打安全生产举报投诉电话 12350。',
};
