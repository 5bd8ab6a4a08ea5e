import { LIMITS } from '../../../sdk/schemas/limits.js';

/** zh-CN texts of the form part. Full-width punctuation; a space around Latin letters and digits (「15 秒」). */
export default {
  intro: '请如实填写。标有“选填”的可以不填，其余各项都需要填写。',
  draftSession: '填写的内容会临时保存在本页，刷新或断网后不会丢失；关闭本页后自动清除。',
  draftLocal: '填写的内容会保存在这台设备的浏览器中，下次打开可以接着填写；提交后自动清除。',
  draftRestored: '已恢复您之前在本设备上填写的内容，请检查后继续。',
  optional: '（选填）',

  subjectHeading: '被举报单位',
  subjectName: '被举报单位名称',
  subjectNameHint: '填写单位全称或您知道的名称，例如：某某化工有限公司。',
  subjectAddress: '单位地址或问题发生地点',
  subjectAddressHint: '尽量写到街道、门牌号，或厂区内的具体位置。',

  problemHeading: '问题情况',
  industry: '所属行业',
  industryChoose: '请选择行业',
  problemTypes: '举报的问题类型',
  problemTypesHint: (max: number) => `可多选，最多选 ${max} 项。`,
  items: (typeName: string) => `属于“${typeName}”中的哪些情形？（选填，可多选）`,
  dictionariesLoading: '正在加载行业和问题类型…',
  dictionariesFailed: '行业和问题类型没有加载出来。已填写的内容仍在本页，请检查网络后点击“重新加载”。',
  dictionariesRetry: '重新加载',

  description: '举报内容',
  descriptionHint: (min: number, max: number) =>
    `请写明发现了什么问题、在什么时间和地点、涉及哪些人员或设备。${min} 至 ${max} 个字。`,
  countUnder: (count: number, min: number) => `已输入 ${count} 个字，至少需要 ${min} 个字`,
  countLeft: (left: number) => `还可以输入 ${left} 个字`,
  countOver: (over: number) => `已超出 ${over} 个字，请精简`,

  occurredAt: '问题发生或发现的日期',
  occurredAtHint: '不清楚具体日期可以不填。',
  /** Shown in the empty date field (WebKit would show today's date there, greyed, as if it were filled in). */
  dateEmpty: '年 / 月 / 日',

  evidenceHeading: '证据材料',
  evidenceHint: '照片、视频或文件能帮助核查，没有也可以举报。',

  anonymousNote: '您选择的是匿名举报：本表不会收集您的姓名、手机号码、身份证号码等任何个人信息。',
  reporterHeading: '您的信息',
  reporterIntro: '实名举报需要验证您的手机号码。您的信息只用于办理本举报，依法为您保密。',
  reporterName: '姓名',
  reporterPhone: '手机号码',
  reporterPhoneHint: '用于接收验证码和核实情况，例如 13800000000。',
  smsCode: '短信验证码',
  smsCodeHint: `点击“获取验证码”，把短信里的 ${LIMITS.smsCodeDigits} 位数字填在这里。`,
  smsSend: '获取验证码',
  smsSending: '正在发送验证码…',
  smsWaitSeconds: (seconds: number) => `${seconds} 秒后可重新获取`,
  smsWaitMinutes: (minutes: number) => `${minutes} 分钟后可重新获取`,
  smsSent: `验证码已发送，请查看手机短信，把其中的 ${LIMITS.smsCodeDigits} 位数字填入“短信验证码”。`,
  smsTooSoon: '验证码刚刚发送过，请先查看手机短信；没有收到的，请等按钮恢复后再获取。',
  smsUnavailable: '短信服务暂时不可用。您可以稍后再试，或改用匿名举报，也可以拨打 12350 举报。',
  smsNetwork: '网络中断，验证码没有发出。已填写的内容仍在本页，请检查网络后重新获取。',
  smsFailed: '验证码没有发出，请稍后重新获取。',
  smsNoticeExpired: '举报须知的确认已过期，验证码没有发出。已填写的内容仍在本页，请重新阅读举报须知后再获取验证码。',
  idNumber: '身份证号码',
  idNumberHint: `填写后便于核实身份和发放奖励。共 ${LIMITS.idNumberLength} 位，最后一位可能是 X。`,
  consent: '我同意应急管理部门使用我的姓名和手机号码办理本举报、与我核实情况并发放举报奖励',

  continue: '继续',
  uploadBusy: '证据文件还在上传。请等上传完成后再继续，否则这些文件不会随举报一起提交。',
  errorSummaryTitle: '请先修改以下问题',
  errorPrefix: '错误：',
};
