/**
 * Every number of the contract that a person may read: the schemas check against these, and the message catalogues
 * (`src/messages/*.ts`, the components' locales) and form hints print them, so a limit is changed here and nowhere
 * else. No zod in this module: the catalogues import it without bringing the schemas into their chunk.
 */
export const LIMITS = {
  subjectName: 100,
  subjectAddress: 200,
  descriptionMin: 10,
  descriptionMax: 2000,
  problemTypes: 6,
  attachments: 9,
  reporterName: 50,
  supplementText: 2000,
  /** Chinese mainland mobile numbers: 1, then 3–9, then nine digits. */
  phoneDigits: 11,
  smsCodeDigits: 6,
  /** GB 11643-1999 citizen identity number: 17 digits and a check character. */
  idNumberLength: 18,
  /**
   * 工作要求 四：「……适当延长核查处理时间。延长期限不得超过30日。」 Calendar days (not 工作日), added to the
   * verification deadline; the server's deadline arithmetic and the handling action's schema both read it.
   */
  extensionDays: 30,
  /**
   * The earliest date a report may have been received (a letter's date stamp, a legacy record) or an inbox filter
   * may name: older records are typing or export errors, and PostgreSQL refuses years before 1 outright.
   */
  earliestDate: '2000-01-01',
} as const;

export const ATTACHMENT_LIMITS = {
  /** Images and PDF. */
  documentBytes: 20 * 1024 * 1024,
  videoBytes: 200 * 1024 * 1024,
} as const;

/** The same sizes in the mebibytes people read (「20 MB 以内」). */
export const ATTACHMENT_MB = {
  document: ATTACHMENT_LIMITS.documentBytes / 2 ** 20,
  video: ATTACHMENT_LIMITS.videoBytes / 2 ** 20,
} as const;
