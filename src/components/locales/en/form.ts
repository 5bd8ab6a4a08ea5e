import type { Messages } from '../localize.js';
import { LIMITS } from '../../../sdk/schemas/limits.js';

export default {
  intro: 'Please answer truthfully. Questions marked “optional” may be left blank; all others are needed.',
  draftSession: 'What you enter is kept on this page for now, so a reload or a lost connection does not lose it. It is deleted when you close the page.',
  draftLocal: 'What you enter is kept in this browser on this device, so you can carry on later. It is deleted once you submit.',
  draftRestored: 'We restored what you entered earlier on this device. Please check it before you continue.',
  optional: ' (optional)',

  subjectHeading: 'Who you are reporting',
  subjectName: 'Name of the company or organisation',
  subjectNameHint: 'Its full name, or the name you know it by, for example: Some Chemical Co., Ltd.',
  subjectAddress: 'Its address, or where the problem is',
  subjectAddressHint: 'Give the street and number, or the exact place on the site, if you can.',

  problemHeading: 'The problem',
  industry: 'Industry',
  industryChoose: 'Choose an industry',
  problemTypes: 'What kind of problem is it?',
  problemTypesHint: (max: number) => `Select all that apply, up to ${max}.`,
  items: (typeName: string) => `Which of these apply to “${typeName}”? (optional, select all that apply)`,
  dictionariesLoading: 'Loading industries and problem types…',
  dictionariesFailed: 'Industries and problem types could not be loaded. What you entered is still here. Check your connection, then select “Load again”.',
  dictionariesRetry: 'Load again',

  description: 'What did you see?',
  descriptionHint: (min: number, max: number) =>
    `Say what the problem is, when and where it happens, and which people or equipment are involved. ${min} to ${max} characters.`,
  countUnder: (count: number, min: number) => `${count} characters entered, at least ${min} needed`,
  countLeft: (left: number) => `You have ${left} characters remaining`,
  countOver: (over: number) => `You have ${over} characters too many; please shorten it`,

  occurredAt: 'Date the problem happened or was noticed',
  occurredAtHint: 'Leave it blank if you are not sure.',
  dateEmpty: 'yyyy / mm / dd',

  evidenceHeading: 'Evidence',
  evidenceHint: 'Photos, videos or documents help the check. You can report without them.',

  anonymousNote: 'You chose to report anonymously: this form collects nothing about you — no name, phone number or ID number.',
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

  continue: 'Continue',
  uploadBusy: 'Evidence is still uploading. Please wait until it has finished, or those files will not be sent with your report.',
  errorSummaryTitle: 'Please fix the following',
  errorPrefix: 'Error: ',
} satisfies Messages['form'];
