/**
 * The reports the tests file, written once: valid by the contract, about a chemical plant in 郑州市金水区. A test names
 * only what it is about in `overrides` (each replaces a whole field). Types only from the SDK, so the browser tests
 * import this module too.
 */
import type { ReportDraft } from '../../src/sdk/index.js';
import type { StaffReportEntry } from '../../src/sdk/schemas/staff.js';

export type RealNameDraft = Extract<ReportDraft, { mode: 'real-name' }>;
export type Reporter = RealNameDraft['reporter'];

/** A valid anonymous report about a chemical plant in 郑州市金水区, carrying the notice's `ackToken`. */
export const anonymousDraft = (ackToken: string, overrides: Partial<ReportDraft> = {}): ReportDraft =>
  ({
    mode: 'anonymous',
    ackToken,
    regionCode: '410105',
    subject: { name: '某某化工有限公司', address: '郑州市金水区某路 1 号' },
    industry: 'chemical',
    problemTypes: [{ code: 'major-hazard' }],
    description: '储罐区可燃气体报警器长期损坏，夜间有人在罐区吸烟。',
    attachmentIds: [],
    ...overrides,
  }) as ReportDraft;

/** 张三, with the SMS code a `--dev` server never sent: a test that files for real passes the code it read. */
export const REPORTER = { name: '张三', phone: '13800000000', smsCode: '123456' } as const;

/**
 * The same report under the reporter's name, with consent; `reporter` fields replace 张三's one by one, `overrides`
 * replace whole fields.
 */
export const realNameDraft = (ackToken: string, reporter: Partial<Reporter> = {}, overrides: Partial<RealNameDraft> = {}): RealNameDraft =>
  ({
    ...anonymousDraft(ackToken),
    mode: 'real-name',
    reporter: { ...REPORTER, ...reporter },
    consent: true,
    ...overrides,
  }) as RealNameDraft;

/** A letter staff enter: 张三's real-name report about the same plant, received 2026-02-27. */
export const staffLetter = (externalId: string, overrides: Partial<StaffReportEntry> = {}): StaffReportEntry =>
  ({
    externalId,
    channel: 'letter',
    receivedAt: '2026-02-27T02:00:00Z',
    mode: 'real-name',
    regionCode: '410105',
    subject: { name: '某某化工有限公司', address: '郑州市金水区某路 1 号' },
    industry: 'chemical',
    problemTypes: [{ code: 'major-hazard' }],
    description: '来信反映储罐区可燃气体报警器长期损坏。',
    reporter: { name: REPORTER.name, phone: REPORTER.phone },
    ...overrides,
  }) as StaffReportEntry;
