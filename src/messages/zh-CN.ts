import type { ErrorKey } from '../sdk/schemas/error-keys.js';
import type { ApiErrorCode } from '../sdk/schemas/common.js';
import { ATTACHMENT_LIMITS, LIMITS, toMegabytes } from '../sdk/schemas/limits.js';

const documentMb = toMegabytes(ATTACHMENT_LIMITS.documentBytes);
const videoMb = toMegabytes(ATTACHMENT_LIMITS.videoBytes);

/**
 * zh-CN text for every validation key and API error code. The server answers with it; the SDK uses it for checks
 * it makes before sending; the components' zh-CN locale starts from it. Each sentence says what to do next; every
 * number that is a limit of the contract is read from `LIMITS` (tests/sdk/messages.test.ts walks the schemas).
 */
export const errorMessages = {
  'field.required': '请填写此项',
  'field.invalid': '此项格式不正确，请检查后重新填写',
  'field.unexpected': '包含不应提交的内容，请删除后重试',
  'field.tooLong': '内容过长，请精简后重新填写',
  'field.controlCharacter': '此项含有无法保存的隐藏字符（多见于从其他软件复制的文字），请删除后重新输入',
  'mode.invalid': '请选择匿名举报或实名举报',
  'ackToken.required': '请先阅读举报须知',
  'region.required': '请选择问题所在地（省、市、县）',
  'region.unknown': '所选地区不存在，请重新选择问题所在地',
  'subject.name.required': '请输入被举报单位名称',
  'subject.name.tooLong': `被举报单位名称不能超过 ${LIMITS.subjectName} 个字`,
  'subject.address.required': '请输入被举报单位地址或问题发生地点',
  'subject.address.tooLong': `地址不能超过 ${LIMITS.subjectAddress} 个字`,
  'industry.required': '请选择所属行业',
  'industry.unknown': '所选行业不存在，请重新选择',
  'problemTypes.required': '请至少选择一种举报问题类型',
  'problemTypes.tooMany': `问题类型最多选择 ${LIMITS.problemTypes} 项`,
  'problemTypes.unknown': '所选问题类型不存在，请重新选择',
  'problemTypes.itemUnknown': '所选具体情形不属于该问题类型，请重新选择',
  'description.tooShort': `请用至少 ${LIMITS.descriptionMin} 个字描述举报内容`,
  'description.tooLong': `举报内容不能超过 ${LIMITS.descriptionMax} 个字，请精简后提交`,
  'occurredAt.invalid': '请按“年-月-日”填写发生日期，例如 2025-06-01',
  'occurredAt.future': '发生日期不能晚于今天',
  'attachments.tooMany': `最多上传 ${LIMITS.attachments} 个证据文件`,
  'attachments.unknown': '有证据文件未上传完成或已过期，请重新上传',
  'reporter.name.required': '请输入您的姓名',
  'reporter.name.tooLong': `姓名不能超过 ${LIMITS.reporterName} 个字`,
  'reporter.phone.invalid': `请输入 ${LIMITS.phoneDigits} 位手机号码，例如 13800000000`,
  'reporter.smsCode.invalid': `请输入短信中的 ${LIMITS.smsCodeDigits} 位验证码`,
  'reporter.smsCode.wrong': '验证码不正确或已过期，请重新获取',
  'reporter.idNumber.invalid': `身份证号码不正确，请核对 ${LIMITS.idNumberLength} 位号码（末位可为 X）`,
  'consent.required': '实名举报需要您同意我们使用您的姓名和手机号处理本举报',
  'personal.forbidden': '匿名举报不能包含举报人信息',
  'supplement.text.required': '请填写补充说明',
  'supplement.text.tooLong': `补充说明不能超过 ${LIMITS.supplementText} 个字`,
  'phone.invalid': `请输入 ${LIMITS.phoneDigits} 位手机号码，例如 13800000000`,
  'reportCode.invalid': '举报编码不正确，请核对后重新输入',
  'queryKey.invalid': '查询密码不正确，请核对后重新输入',
  'action.invalid': '不支持的办理操作',
  'extension.days': `延期天数应在 1 到 ${LIMITS.extensionDays} 天之间`,
  'transfer.region': '只能转办给下级地区',
} satisfies Record<ErrorKey, string>;

export const apiErrorMessages = {
  VALIDATION_FAILED: '提交的内容有误，请按提示修改',
  BAD_REQUEST: '请求格式不正确',
  BODY_TOO_LARGE: '提交的内容过大',
  NOT_FOUND: '未找到请求的内容',
  METHOD_NOT_ALLOWED: '不支持该操作',
  NOTICE_TOO_EARLY: '请继续阅读举报须知，阅读满规定时间后才能继续',
  NOTICE_RECEIPT_NOT_FOUND: '阅读记录已失效，请重新打开举报须知',
  NOTICE_ACK_INVALID: '举报须知确认已失效，请重新阅读举报须知后提交',
  IDEMPOTENCY_KEY_REQUIRED: '缺少幂等键（Idempotency-Key）',
  IDEMPOTENCY_KEY_REUSED: '该幂等键已用于另一份不同的举报',
  SMS_CODE_INVALID: '验证码不正确或已过期，请重新获取',
  RATE_LIMITED: '操作过于频繁，请稍后再试',
  REPORT_NOT_FOUND: '举报编码或查询密码不正确，请核对后重试',
  SUPPLEMENT_NOT_REQUESTED: '当前无需补充材料',
  ILLEGAL_TRANSITION: '当前状态下不能进行该操作',
  ATTACHMENT_NOT_READY: '文件尚未上传完成',
  ATTACHMENT_REJECTED: `文件类型或大小不符合要求：仅支持 JPEG、PNG、PDF（${documentMb} MB 以内）和 MP4 视频（${videoMb} MB 以内）`,
  UNSUPPORTED_MEDIA_TYPE: '请求内容类型不受支持',
  FORBIDDEN: '无权进行该操作',
  UNAUTHORIZED: '请先登录',
  INTERNAL: '系统繁忙，请稍后重试；已填写的内容不会丢失',
  UNAVAILABLE: '服务暂不可用，请稍后重试',
  CHALLENGE_INVALID: '页面已过期，请刷新后重新阅读须知再提交，已填写的内容仍会保留',
  STORAGE_FULL: '服务器暂时无法接收更多材料，请稍后重试或减少附件',
  UPLOAD_LOCKED: '该文件正在上传中，请稍候几秒后重试',
  INTEGRITY_FAILED: '该记录未通过完整性校验，可能已被改动；本次操作已记录，请联系系统管理员核查',
} satisfies Record<ApiErrorCode, string>;
