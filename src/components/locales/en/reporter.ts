import type { Messages } from '../localize.js';
import { LIMITS } from '../../../sdk/schemas/limits.js';

export default {
  reporterHeading: 'About you',
  reporterIntro: 'To report under your name we need to check your mobile number. Your details are used only to handle this report and are kept confidential by law.',
  reporterName: 'Full name',
  reporterPhone: 'Mobile number',
  reporterPhoneHint: 'For the verification code and for questions about your report, for example 13800000000.',
  smsCode: 'Verification code',
  smsCodeHint: `Select “Get code”, then enter the ${LIMITS.smsCodeDigits} digits from the text message here.`,
  smsSend: 'Get code',
  smsSending: 'Sending the code…',
  smsWaitSeconds: (seconds: number) => `Get another code in ${seconds} s`,
  smsWaitMinutes: (minutes: number) => `Get another code in ${minutes} min`,
  smsSent: `We sent you a code. Check your text messages and enter the ${LIMITS.smsCodeDigits} digits under “Verification code”.`,
  smsTooSoon: 'A code was sent a moment ago. Check your text messages first; if none came, ask again when the button is ready.',
  smsUnavailable: 'Text messages cannot be sent right now. Try again later, report anonymously, or call 12350.',
  smsNetwork: 'The connection dropped and no code was sent. What you entered is still here. Check your connection and ask again.',
  smsFailed: 'No code was sent. Please ask again in a little while.',
  smsNoticeExpired: 'Your confirmation of the reporting notice has expired, so no code was sent. What you entered is still here. Read the notice again, then ask for a code.',
  idNumber: 'ID card number',
  idNumberHint: `Helps us confirm who you are and pay a reward. ${LIMITS.idNumberLength} characters; the last may be X.`,
  consent:
    'I agree that the emergency-management authorities use my name and mobile number to handle this report, check the facts with me and pay a reward',
} satisfies Messages['reporter'];
