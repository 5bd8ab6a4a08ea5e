import { QUERY_KEY_LENGTH, REPORT_CODE_LENGTH } from '../../../sdk/report-code.js';

/** zh-CN texts of the lookup part. Full-width punctuation; a space around Latin letters and digits (「15 秒」). */
export default {
  heading: '查询举报办理进度',
  intro: '请输入提交举报时得到的举报编码和查询密码。两项都在举报回执上。',
  codeLabel: '举报编码',
  codeHint: `共 ${REPORT_CODE_LENGTH} 位，由字母和数字组成，不区分大小写，短横线和空格可输可不输。`,
  codeExample: '例如：K7M9-QXRT-3HWP',
  /** Shown under the code once it passes the offline check, so the citizen can compare it with the paper. */
  codeOk: '编码格式正确：',
  keyLabel: '查询密码',
  keyHint: `共 ${QUERY_KEY_LENGTH} 位，提交举报后页面上显示的那一串字母和数字。`,
  submit: '查询进度',
  submitting: '正在查询…',
  errorSummaryTitle: '查询前请修改以下问题',
  errorPrefix: '错误：',
  /** What is likely wrong with a typed report code, by the SDK's `problem`. */
  code: {
    empty: '请输入举报编码',
    length: (typed: number) => `举报编码共 ${REPORT_CODE_LENGTH} 位，现在是 ${typed} 位，请核对是否漏输或多输`,
    zero: '举报编码中没有字母 O 和数字 0，请核对是否看错',
    one: '举报编码中没有字母 I、L 和数字 1，请核对是否看错',
    u: '举报编码中没有字母 U，请核对是否为字母 V',
    other: (chars: string) => `举报编码只有字母和数字，请删除“${chars}”`,
    checksum: '举报编码有误：可能有一位抄错或两位顺序颠倒，请对照回执逐位核对',
  },
  keyEmpty: '请输入查询密码',

  /** Answers that are not a result. */
  notFound: '没有查到这份举报。请核对举报编码和查询密码是否与回执上的一致，然后重新查询。',
  notFoundHelp: '查询密码遗失的，无法在网上查询，可以拨打安全生产举报投诉电话 12350 咨询。',
  rateLimited: (wait: string) => `查询次数较多，请 ${wait}后再查询。`,
  waitSeconds: (n: number) => `${n} 秒`,
  waitMinutes: (n: number) => `${n} 分钟`,
  network: '网络连接中断，您输入的内容仍在本页。请检查网络后点“重新查询”。',
  failed: '系统暂时无法查询，您输入的内容仍在本页，请稍后点“重新查询”。',
  retry: '重新查询',

  /** The result. */
  resultHeading: '举报办理进度',
  reportCode: '举报编码',
  statusLabel: '当前状态',
  handledBy: '承办单位',
  refresh: '刷新进度',
  refreshed: (status: string) => `进度已更新，当前状态：${status}`,
  loaded: (status: string) => `已查到举报，当前状态：${status}`,
  another: '查询其他举报',

  status: {
    submitted: '受理中',
    accepted: '已受理',
    'not-accepted': '不予受理',
    transferred: '已转办',
    verifying: '核查中',
    extended: '已延期',
    'supplement-requested': '待补充材料',
    closed: '已办结',
  },
  /** One sentence per status: what it means for the citizen, and what happens next. */
  statusText: {
    submitted: '举报已送到承办单位，正在审核是否受理。受理决定会在下方的受理期限前作出，请届时再来查询。',
    accepted: '承办单位已受理您的举报，接下来会安排核查。核查结果会在下方的核查期限前录入，届时可以在这里查看。',
    'not-accepted': '承办单位决定不予受理，原因见下方。',
    transferred: '举报已按属地转交下级应急管理部门办理，办理期限不变。核查结果出来后可以在这里查看。',
    verifying: '承办单位正在核查举报的情况，可能会到现场检查。有结果后会在这里显示。',
    extended: '情况比较复杂，核查期限已经批准延长，新的期限见下方。',
    'supplement-requested': '承办单位需要您补充材料才能继续办理，请按下方的要求提交。',
    closed: '举报已办结，处理结果见下方。感谢您对安全生产的监督。',
  },

  /** Not accepted: the reason in plain words and what the citizen can do. */
  reasonHeading: '不予受理的原因',
  reason: {
    needsCorrection: '举报缺少核查所需的信息，暂时无法核查。需要补充的是：',
    needsCorrectionNext: '您可以补齐上面的内容后，重新提交一份举报。',
    duplicate: '同一问题已有人举报，正在办理或已经办结，这次举报没有提供新的情况。',
    duplicateNext: '如果您有新的情况或证据，可以重新提交举报并写明新的内容。',
    outOfScope: (department: string) => `举报的问题不属于应急管理部门的职责，已转交${department}处理。`,
    outOfScopeNext: '后续进展请向该部门了解。',
  },

  /** Closed: the result. */
  outcomeHeading: '处理结果',
  substantiated: '经核查，举报情况属实。',
  unsubstantiated: '经核查，举报情况不属实。',
  reward: (text: string) => `举报奖励：${text}`,

  /** Deadlines. */
  deadlinesHeading: '办理期限',
  deadline: {
    acceptance: '受理期限',
    verification: '核查期限',
  },
  deadlineDue: (date: string) => `${date}前`,
  estimated: '（估算）',
  estimatedNote: '带“（估算）”的日期：该年度的法定节假日安排还没有公布，暂按周一至周五计算，日期以后可能会调整。',
  metAcceptance: (date: string) => `已于 ${date}作出决定`,
  metVerification: (date: string) => `已于 ${date}办结`,
  daysLeft: (n: number) => `还剩 ${n} 个工作日`,
  dueToday: '今天到期',
  pastDue: '已过期限',
  overdue: (n: number) => `已超期 ${n} 个工作日`,
  overdueNote: '承办单位仍在办理，超期不影响您的举报。想了解情况，可以拨打 12350 咨询。',

  /** Timeline. */
  timelineHeading: '办理记录',
  timelineOrder: '最新的在最前面',
  eventOrg: (org: string) => `办理单位：${org}`,
  event: {
    submitted: '提交举报',
    accepted: '已受理',
    'not-accepted': '不予受理',
    transferred: '已转办',
    verifying: '开始核查',
    'extension-requested': '申请延长核查期限',
    'extension-approved': '延期已批准',
    'supplement-requested': '请您补充材料',
    'supplement-received': '已收到补充材料',
    closed: '已办结',
  },
  channel: {
    web: '通过网上举报提交',
    letter: '通过信件提交',
    visit: '来访提交',
    fax: '通过传真提交',
    phone: '通过 12350 电话提交',
    legacy: '通过原举报系统提交',
  },
  eventDetail: {
    transferred: (org: string) => `转交${org}办理`,
    extensionRequested: (days: number) => `申请延长 ${days} 天`,
    extensionApproved: (days: number, date: string) => `核查期限延长 ${days} 天，至 ${date}`,
    supplementReceived: (files: number) => (files ? `补充说明和 ${files} 个证据文件` : '补充说明'),
    needsCorrection: (missing: string) => `需补正：${missing}`,
    duplicate: '重复举报',
    outOfScope: (department: string) => `不属于本部门职责，已转交${department}`,
  },

  /** Supplement requested. */
  supplementHeading: '需要您补充材料',
  supplementRequest: '承办单位的要求：',
  supplementTextLabel: '补充说明',
  supplementTextHint: (max: number) => `请按上面的要求写明情况，最多 ${max} 字。`,
  charactersLeft: (n: number) => `还可以输入 ${n} 字`,
  charactersOver: (n: number) => `已超出 ${n} 字，请精简`,
  evidenceLabel: '证据文件（选填）',
  supplementSubmit: '提交补充材料',
  supplementSending: '正在提交…',
  supplementErrorTitle: '提交前请修改以下问题',
  uploadsBusy: '还有文件正在上传，请等上传完成后再提交',
  supplementNetwork: '网络连接中断，补充说明和已上传的文件仍在本页，请稍后再提交。',
  supplementFailed: '暂时无法提交补充材料，您填写的内容仍在本页，请稍后再试。',
  supplementNotRequested: '承办单位目前不需要补充材料，进度已更新。',
  supplementSent: '已收到您的补充材料，办理记录中可以看到。承办单位会继续办理。',
};
