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
  /** The button under any part of the form that failed to load (the dictionaries, the 「您的信息」 section). */
  loadRetry: '重新加载',

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
  /** The 「您的信息」 section loads with the choice of 实名举报 (its texts are in reporter.ts); these show until it is in. */
  reporterLoading: '正在加载“您的信息”部分，加载完成后才能继续，请稍候…',
  reporterFailed: '“您的信息”部分没有加载出来。已填写的内容仍在本页，请检查网络后点击“重新加载”。',

  continue: '继续',
  uploadBusy: '证据文件还在上传。请等上传完成后再继续，否则这些文件不会随举报一起提交。',
  errorSummaryTitle: '请先修改以下问题',
  errorPrefix: '错误：',
};
