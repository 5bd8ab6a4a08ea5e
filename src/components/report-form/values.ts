/**
 * The report form's values: their shape, the order of the fields, the report in the contract's shape
 * (`ReportDraft`), and what goes into the stored draft and comes back from it (the finished uploads with their
 * names among it). DOM-free.
 */
import type { ReportDraft } from '../../sdk/schemas/report.js';
import type { DraftData, StoredAttachment } from '../controllers/draft-store.js';
import type { AqjbEvidenceUpload } from '../evidence-upload/evidence-upload.component.js';
import type { AqjbAttachmentsChangeEvent } from '../evidence-upload/evidence-upload.events.js';

export type Mode = 'anonymous' | 'real-name';

/** Dotted draft paths in the order the fields appear: ids of the controls, order of the error summary. */
export const FIELD_ORDER = [
  'subject.name',
  'subject.address',
  'industry',
  'problemTypes',
  'description',
  'occurredAt',
  'attachmentIds',
  'reporter.name',
  'reporter.phone',
  'reporter.smsCode',
  'reporter.idNumber',
  'consent',
] as const;

/** Fields that identify the citizen: stored in a draft only when the integrator opted in. The code never is. */
export const PERSONAL_FIELDS = ['reporter.name', 'reporter.phone', 'reporter.idNumber', 'consent'] as const;

export type TextField = 'subject.name' | 'subject.address' | 'description' | 'occurredAt' | 'reporter.name' | 'reporter.phone' | 'reporter.smsCode' | 'reporter.idNumber';

export interface Values {
  text: Record<TextField, string>;
  industry: string;
  problemTypes: string[];
  /** Ticked 七严禁 / 五不准 items by problem type. Kept when a type is unticked, so ticking it again restores them. */
  items: Record<string, string[]>;
  consent: boolean;
}

export const emptyValues = (): Values => ({
  text: {
    'subject.name': '',
    'subject.address': '',
    description: '',
    occurredAt: '',
    'reporter.name': '',
    'reporter.phone': '',
    'reporter.smsCode': '',
    'reporter.idNumber': '',
  },
  industry: '',
  problemTypes: [],
  items: {},
  consent: false,
});

/** The form path a draft path belongs to (`reporter.phone` for `reporter.phone`, `problemTypes` for `problemTypes.0.code`). */
export const fieldOf = (path: string): string | undefined => FIELD_ORDER.find((f) => path === f || path.startsWith(`${f}.`));

/** The report as entered, in the contract's shape; reporter and consent only in real-name mode. */
export function toDraft(
  { text, industry, problemTypes, items, consent }: Values,
  mode: Mode,
  ackToken: string,
  regionCode: string,
  attachments: readonly StoredAttachment[],
): ReportDraft {
  const base = {
    ackToken,
    regionCode,
    subject: { name: text['subject.name'], address: text['subject.address'] },
    industry,
    problemTypes: problemTypes.map((code) => {
      const ticked = items[code] ?? [];
      return ticked.length ? { code, items: [...ticked] } : { code };
    }),
    description: text.description,
    ...(text.occurredAt ? { occurredAt: text.occurredAt } : {}),
    attachmentIds: attachments.map((a) => a.attachmentId),
  };
  if (mode !== 'real-name') return { mode: 'anonymous', ...base };
  const idNumber = text['reporter.idNumber'];
  return {
    mode: 'real-name',
    ...base,
    reporter: {
      name: text['reporter.name'],
      phone: text['reporter.phone'],
      smsCode: text['reporter.smsCode'],
      ...(idNumber ? { idNumber } : {}),
    },
    // The schema wants the literal `true`; `false` fails it with `consent.required`, as it should.
    consent: consent as true,
  };
}

/** What the stored draft keeps: never the SMS code; the personal fields only in real-name mode (DraftStore drops them unless opted in). */
export function snapshot({ text, industry, problemTypes, items, consent }: Values, mode: Mode, attachments: StoredAttachment[]): DraftData {
  const fields: DraftData['fields'] = { industry, problemTypes };
  for (const [path, value] of Object.entries(text)) if (path !== 'reporter.smsCode') fields[path] = value;
  for (const [code, chosen] of Object.entries(items)) if (chosen.length) fields[`items.${code}`] = chosen;
  if (mode === 'real-name') fields.consent = consent;
  else for (const path of PERSONAL_FIELDS) delete fields[path];
  return { fields, attachments };
}

/** Values from a stored draft; what is not of the expected type is left empty. */
export function restoreValues(fields: DraftData['fields']): Values {
  const values = emptyValues();
  for (const [path, value] of Object.entries(fields)) {
    if (path === 'industry' && typeof value === 'string') values.industry = value;
    else if (path === 'problemTypes' && Array.isArray(value)) values.problemTypes = value;
    else if (path === 'consent' && typeof value === 'boolean') values.consent = value;
    else if (path.startsWith('items.') && Array.isArray(value)) values.items[path.slice('items.'.length)] = value;
    else if (path in values.text && path !== 'reporter.smsCode' && typeof value === 'string') values.text[path as TextField] = value;
  }
  return values;
}

/** The finished uploads of a change event, with the names the upload element's `value` has (the event carries none: the host page sees it). */
export function storedAttachments(event: AqjbAttachmentsChangeEvent): StoredAttachment[] {
  const names = new Map((event.currentTarget as AqjbEvidenceUpload).value.map((f) => [f.attachmentId, f.name]));
  return event.detail.attachments.map(({ attachmentId, size, mime }) => ({ attachmentId, size, mime, name: names.get(attachmentId) ?? '' }));
}

/** `list` with `value` in it or not. */
export const toggle = (list: readonly string[], value: string, on: boolean): string[] =>
  on ? (list.includes(value) ? [...list] : [...list, value]) : list.filter((v) => v !== value);
