/**
 * Stable keys for every validation rule in the contract. Schemas use them as issue messages; the server turns
 * them into zh-CN text (`src/messages/zh-CN.ts`) and components into the active locale. A key never changes
 * meaning once published: integrators may branch on it.
 */
export const ERROR_KEYS = [
  'field.required',
  'field.invalid',
  'field.unexpected',
  'field.tooLong',
  'field.controlCharacter',
  'mode.invalid',
  'ackToken.required',
  'region.required',
  'region.unknown',
  'subject.name.required',
  'subject.name.tooLong',
  'subject.address.required',
  'subject.address.tooLong',
  'industry.required',
  'industry.unknown',
  'problemTypes.required',
  'problemTypes.tooMany',
  'problemTypes.unknown',
  'problemTypes.itemUnknown',
  'description.tooShort',
  'description.tooLong',
  'occurredAt.invalid',
  'occurredAt.future',
  'attachments.tooMany',
  'attachments.unknown',
  'reporter.name.required',
  'reporter.name.tooLong',
  'reporter.phone.invalid',
  'reporter.smsCode.invalid',
  'reporter.smsCode.wrong',
  'reporter.idNumber.invalid',
  'consent.required',
  'personal.forbidden',
  'supplement.text.required',
  'supplement.text.tooLong',
  'phone.invalid',
  'reportCode.invalid',
  'queryKey.invalid',
  'action.invalid',
  'extension.days',
  'transfer.region',
] as const;

export type ErrorKey = (typeof ERROR_KEYS)[number];

/** Typed issue message: a misspelt key fails the build. */
export const e = (key: ErrorKey) => key;

const known = new Set<string>(ERROR_KEYS);
export const isErrorKey = (value: unknown): value is ErrorKey => typeof value === 'string' && known.has(value);
