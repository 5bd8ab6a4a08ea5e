import type { Messages } from '../localize.js';

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
  /** The button under any part of the form that failed to load (the dictionaries, the 「您的信息」 section). */
  loadRetry: 'Load again',

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
  reporterLoading: 'Loading the “About you” questions; you can continue once they are here…',
  reporterFailed: 'The “About you” questions could not be loaded. What you entered is still here. Check your connection, then select “Load again”.',

  continue: 'Continue',
  uploadBusy: 'Evidence is still uploading. Please wait until it has finished, or those files will not be sent with your report.',
  errorSummaryTitle: 'Please fix the following',
  errorPrefix: 'Error: ',
} satisfies Messages['form'];
