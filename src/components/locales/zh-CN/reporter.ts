import { LIMITS } from '../../../sdk/schemas/limits.js';

/**
 * zh-CN texts of the report form's 「您的信息」 section (real-name mode): loaded with it, so an anonymous report never
 * downloads them. Full-width punctuation; a space around Latin letters and digits.
 */
export default {
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
};
