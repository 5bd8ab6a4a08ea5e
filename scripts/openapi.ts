// Builds openapi.json, the OpenAPI 3.1 description of the reference server, from the contract's zod/mini schemas.
//
//   npm run openapi        (node --import tsx scripts/openapi.ts)
//
// Schemas are named through a registry local to this script, never `z.globalRegistry`: src/sdk ships to browsers
// and must not carry documentation metadata. Request bodies are converted as zod *input* (defaults make fields
// optional) and responses as *output*. tests/sdk/openapi.test.ts fails when the committed file is stale, when the
// document is not valid OpenAPI 3.1, or when the server routes something the document does not describe.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import * as z from 'zod/mini';
import * as s from '../src/sdk/schemas/index.js';
import { API_ERROR_CODES, ERROR_KEYS, ErrorBody, type ApiErrorCode } from '../src/sdk/schemas/index.js';
import { apiErrorMessages, errorMessages } from '../src/messages/zh-CN.js';
import { CODE_ALPHABET, QUERY_KEY_LENGTH, REPORT_CODE_LENGTH, checkCharacter } from '../src/sdk/report-code.js';

export const OUTPUT = new URL('../openapi.json', import.meta.url);

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

type JsonSchema = Record<string, unknown>;
type Meta = { id?: string; description?: string };

/** `GET /health` has no contract schema (it is for load balancers, not the SDK); described here only. */
const Health = z.object({
  status: z.enum(['ok', 'draining']),
  /** Storage behind this instance; absent while draining. */
  database: z.optional(z.enum(['pglite', 'postgres'])),
});

/**
 * Named schemas, i.e. `components/schemas`. `in`: request bodies (zod input), `out`: responses (zod output),
 * `both`: used on both sides, where the two conversions must agree.
 */
const COMPONENTS: [name: string, schema: z.ZodMiniType, side: 'in' | 'out' | 'both', description: string][] = [
  ['ErrorBody', ErrorBody, 'out', 'The one error shape every endpoint answers with. `error.code` is stable (see `x-error-codes`); `error.message` is zh-CN text for the citizen.'],
  ['FieldIssue', s.FieldIssue, 'out', 'One invalid field of a `VALIDATION_FAILED` answer; `code` is a stable validation key (see `x-validation-keys`).'],
  ['Notice', s.Notice, 'out', 'The reporting notice (举报须知) as structured text, never HTML.'],
  ['NoticeSection', s.NoticeSection, 'out', 'A headed section of the notice.'],
  ['NoticeBlock', s.NoticeBlock, 'out', 'A paragraph or a list of the notice.'],
  ['NoticeReceipt', s.NoticeReceipt, 'out', 'A reading receipt: the server starts counting the reading time when it is opened.'],
  ['NoticeAck', s.NoticeAck, 'out', 'Proof that the notice was read for `minReadSeconds`; a report carries its `ackToken`.'],
  ['PowChallenge', s.PowChallenge, 'out', "The receipt's proof-of-work (ALTCHA v2, SHA-256): the counter in 0…`maxNumber` whose key starts with `keyPrefix`. `maxNumber` rises with load."],
  ['PowSolution', s.PowSolution, 'in', 'The counter that solves a `PowChallenge` and the key it derives.'],
  ['NoticeConfirmation', s.NoticeConfirmation, 'in', "The solution of the receipt's proof-of-work."],
  ['RegionLevel', s.RegionLevel, 'out', 'Administrative level of a division.'],
  ['Region', s.Region, 'out', 'One administrative division (county level and above).'],
  ['RegionSearch', s.RegionSearch, 'out', 'Divisions matching the query, best first, each with the places between `within` and it.'],
  ['RegionList', s.RegionList, 'out', 'The child divisions of `parent`, or the provincial-level units when `parent` is null.'],
  ['RegionDetail', s.RegionDetail, 'out', 'One division with its ancestors, outermost first (province, then prefecture).'],
  ['DictionaryEntry', s.DictionaryEntry, 'out', 'A code and its zh-CN name.'],
  ['ProblemType', s.ProblemType, 'out', 'A kind of problem a report may name, with the sub-items a reporter may tick.'],
  ['Dictionaries', s.Dictionaries, 'out', 'Industries and problem types a report may name.'],
  ['SmsCodeRequest', s.SmsCodeRequest, 'in', 'Asks for a verification code for a real-name report.'],
  ['SmsCodeSent', s.SmsCodeSent, 'out', 'A verification code was sent.'],
  ['Subject', s.Subject, 'in', 'The reported unit or person, and where the problem is.'],
  ['ProblemChoice', s.ProblemChoice, 'in', 'A chosen problem type, with its ticked sub-items.'],
  ['Reporter', s.Reporter, 'in', 'Who reports, for a real-name report (实名举报).'],
  ['AnonymousReportDraft', s.AnonymousReportDraft, 'in', 'An anonymous report: nothing about the reporter; unknown properties (a stray `reporter`) are rejected.'],
  ['RealNameReportDraft', s.RealNameReportDraft, 'in', 'A real-name report: the reporter, a verified phone number and consent.'],
  ['ReportDraft', s.ReportDraft, 'in', 'A report as filed by a citizen, anonymous or real-name (`mode`).'],
  ['RoutedTo', s.RoutedTo, 'out', 'The division and bureau a report is routed to.'],
  ['ReportReceipt', s.ReportReceipt, 'out', 'What the reporter keeps: the report code and the query key, shown once.'],
  ['ReportStatus', s.ReportStatus, 'out', 'Where a report stands: submitted 受理中 · accepted 已受理 · not-accepted 不予受理 · transferred 已转办 · verifying 核查中 · extended 已延期 · supplement-requested 待补充材料 · closed 已办结.'],
  ['NotAcceptedReason', s.NotAcceptedReason, 'both', 'Why a report was not accepted: needs-correction 需补正 (what to supply), duplicate 重复举报, out-of-scope 不属于本部门职责 (the department responsible).'],
  ['ProgressEvent', s.ProgressEvent, 'out', 'One step in the handling of a report.'],
  ['Deadline', s.Deadline, 'out', 'A statutory deadline, counted in working days on the Beijing calendar.'],
  ['Progress', s.Progress, 'out', 'Status, events (oldest first) and deadlines of a report.'],
  ['SupplementDraft', s.SupplementDraft, 'in', 'Supplementary material answering a supplement request (待补充材料).'],
  ['SupplementReceipt', s.SupplementReceipt, 'out', 'The supplement was received.'],
  ['AttachmentMime', s.AttachmentMime, 'out', 'Accepted evidence types, recognised by content (magic bytes), never by name or declared type.'],
  ['Attachment', s.Attachment, 'out', 'A finished upload, ready to be named in `attachmentIds`.'],
  ['DevAction', s.DevAction, 'in', '`--dev` only: what a handling authority does, so demos and tests can move a report through its life.'],
  ['DevOutboxEntry', s.DevOutboxEntry, 'out', '`--dev` only: one SMS the server would have sent.'],
  ['DevOutbox', s.DevOutbox, 'out', '`--dev` only: the latest SMS messages, newest first.'],
  ['Health', Health, 'out', 'Liveness and readiness of this instance.'],
  ['StaffReporter', s.StaffReporter, 'in', 'The reporter as staff or a legacy system know them: name and mobile, ID number optional; no SMS code (a signed letter or a visit stands for it).'],
  ['ReportContent', s.ReportContent, 'in', 'What a report says, however it arrived: the citizen draft without the web-only fields (`ackToken`, `smsCode`, `consent`). Legacy adapters map this to their system.'],
  ['StaffReportEntry', s.StaffReportEntry, 'in', 'A report that reached an authority by letter, visit, fax, phone or a legacy system, entered by staff: `ReportContent` with `externalId`, `channel` and `receivedAt`.'],
  ['StaffReportReceipt', s.StaffReportReceipt, 'out', 'The citizen receipt (code and query key, to pass on to the reporter) and the `externalId` it answers.'],
  ['StaffReport', s.StaffReport, 'out', 'A report as its handling staff see it, reporter included (举报人信息仅经办人员可查看).'],
];

/** Property descriptions, from the schemas' JSDoc. Only schemas used at one place: shared ones (Id, IsoDate) stay bare. */
const PROPERTIES: [schema: z.ZodMiniType | undefined, description: string][] = [
  [s.FieldIssue.shape.path, 'Dotted form path, e.g. `reporter.phone` or `problemTypes.0.items`.'],
  [s.FieldIssue.shape.code, 'Stable validation key (see `x-validation-keys`).'],
  [s.FieldIssue.shape.message, 'zh-CN text for the citizen.'],
  [ErrorBody.shape.error.shape.code, 'Stable error code (see `x-error-codes`). New codes may be added: treat unknown ones by HTTP status.'],
  [ErrorBody.shape.error.shape.message, 'zh-CN text for the citizen; says what to do next.'],
  [ErrorBody.shape.error.shape.fields, 'Present with `VALIDATION_FAILED`: every invalid field.'],
  [ErrorBody.shape.error.shape.retryAfterMs, 'Set when waiting helps: the notice gate (409 `NOTICE_TOO_EARLY`) and rate limits (429).'],
  [s.Notice.shape.minReadSeconds, 'Seconds the notice must be read before reporting; the server enforces it.'],
  [s.Region.shape.pinyin, 'Toneless pinyin, syllables separated by spaces (`zheng zhou shi`); initials give `zzs`.'],
  [s.RegionList.shape.parent, 'The parent division, or null for the provincial-level units.'],
  [s.ProblemType.shape.items, 'Sub-items a reporter may tick, e.g. the 七严禁 of safety-evaluation bodies.'],
  [s.ProblemType.shape.hint, 'Short help text: what counts under this type.'],
  [s.SmsCodeSent.shape.cooldownSeconds, 'Seconds before another code may be asked for this phone.'],
  [s.Subject.shape.name, 'The reported unit (被举报单位) or person.'],
  [s.Subject.shape.address, 'Where the problem is: street address of the site.'],
  [s.ProblemChoice.shape.items, 'Sub-item codes (七严禁 / 五不准), only for types that have them.'],
  [s.AnonymousReportDraft.shape.ackToken, 'Token from confirming the notice receipt after the minimum reading time.'],
  [s.AnonymousReportDraft.shape.industry, 'An industry code from `GET /dictionaries`.'],
  [s.AnonymousReportDraft.shape.occurredAt, 'Day the problem was seen (YYYY-MM-DD, Beijing date), optional; not in the future.'],
  [s.AnonymousReportDraft.shape.attachmentIds, 'Finished uploads (`GET /uploads/{id}/result`) to attach as evidence.'],
  [s.Reporter.shape.phone, 'Chinese mainland mobile number, 11 digits; verified with `smsCode`.'],
  [s.Reporter.shape.smsCode, 'The 6-digit code sent by `POST /sms/codes` to `phone`.'],
  [
    s.Reporter.shape.idNumber,
    'Optional citizen ID number (GB 11643-1999): 17 digits and a check character (0-9 or X), checked including ' +
      'its ISO 7064 MOD 11-2 check character and birth date; an empty string counts as absent.',
  ],
  [s.RealNameReportDraft.shape.consent, 'The reporter agrees that the authority uses name and phone to handle this report and pay a reward.'],
  [s.RoutedTo.shape.orgName, 'The emergency-management bureau that handles it, e.g. 郑州市金水区应急管理局.'],
  [s.ReportReceipt.shape.queryKey, 'Secret for progress lookups; shown once, stored by the server only as a hash.'],
  [s.ReportReceipt.shape.acceptBy, 'Last day (Beijing date) by which acceptance must be decided: 3 working days.'],
  [s.Progress.shape.handledBy, 'Handling authority now.'],
  [s.Progress.shape.events, 'Oldest first.'],
  [s.Progress.shape.supplementRequest, 'Present while status is `supplement-requested`: what the authority asks for.'],
  [s.Deadline.shape.due, 'Last day (Beijing date) on which it is still on time.'],
  [s.Deadline.shape.estimated, 'True when the holiday calendar does not cover the year: working days were counted Monday to Friday.'],
  [s.Deadline.shape.metAt, 'When it was met; absent while open.'],
  [
    s.Deadline.shape.workingDaysLeft,
    "Working days left from today (server's Beijing date) while open: 0 = due today, negative = overdue by that many working days. Absent once met.",
  ],
  // Staff entries: both modes share these field schemas, so describing one option describes both.
  [s.ExternalId, "The legacy system's or the mail room's own id (printable ASCII); the same id with the same content answers the first receipt."],
  [s.StaffChannel, 'How the report reached the authority.'],
  [s.StaffReport.shape.channel, 'How the report arrived; `web` is the citizen form.'],
  [s.StaffReport.shape.reporter, 'Present for real-name reports; every read is recorded in the audit trail.'],
  [s.Attachment.shape.sha256, 'Hex SHA-256 of the stored bytes (after metadata was stripped).'],
];

const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/**
 * Converts the registry once per side. Object schemas that strip unknown keys (`z.object`) get no
 * `additionalProperties: false` in responses: the SDK ignores properties it does not know, so the server may add
 * some. Strict ones (`z.strictObject`, every request body) keep it. Safe-integer bounds of `z.int()` and the
 * regex behind `format: date(-time)` are dropped as noise.
 */
function componentSchemas(): Record<string, JsonSchema> {
  const registry = z.registry<Meta>();
  for (const [schema, description] of PROPERTIES) {
    if (!schema) throw new Error(`openapi: a described property no longer exists (${description})`);
    registry.add(schema, { description });
  }
  for (const [id, schema, , description] of COMPONENTS) registry.add(schema, { id, description });

  const override = ({ zodSchema, jsonSchema }: { zodSchema: z.core.$ZodTypes; jsonSchema: z.core.JSONSchema.BaseSchema }) => {
    const def = zodSchema._zod.def;
    if (def.type === 'object' && def.catchall === undefined) delete jsonSchema.additionalProperties;
    if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
    if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
    // zod spells out RFC 3339 as a 400-character regex; `format` says the same.
    if (jsonSchema.format === 'date-time' || jsonSchema.format === 'date') delete jsonSchema.pattern;
  };
  const convert = (io: 'input' | 'output') => {
    const { schemas } = z.toJSONSchema(registry, {
      io,
      metadata: registry,
      target: 'draft-2020-12',
      uri: (id) => `#/components/schemas/${id}`,
      override,
    });
    if ('__shared' in schemas) throw new Error('openapi: a schema was extracted without a name (cycle?)');
    return schemas as Record<string, JsonSchema>;
  };
  const input = convert('input');
  const output = convert('output');

  const strip = ({ $schema: _s, $id: _i, ...rest }: JsonSchema) => rest;
  const sideOf = new Map(COMPONENTS.map(([name, , side]) => [name, side]));
  const differs = (name: string) => JSON.stringify(strip(input[name]!)) !== JSON.stringify(strip(output[name]!));
  const result: Record<string, JsonSchema> = {};
  for (const [name, , side] of COMPONENTS) {
    const chosen = strip((side === 'in' ? input : output)[name]!);
    if (side === 'both' && differs(name)) {
      throw new Error(`openapi: ${name} differs between request and response; give each side its own component`);
    }
    // A request schema must not point at a response-only component whose input form differs, and vice versa.
    for (const [, ref] of JSON.stringify(chosen).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)) {
      const refSide = sideOf.get(ref!);
      if (refSide !== side && refSide !== 'both' && side !== 'both' && differs(ref!)) {
        throw new Error(`openapi: ${name} (${side}) refers to ${ref} (${refSide}), whose input and output differ`);
      }
    }
    result[name] = chosen;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

const STATUS_TEXT: Record<number, string> = {
  400: 'The request is invalid.',
  401: 'Not authenticated.',
  403: 'Not allowed.',
  404: 'Not found.',
  409: 'Conflicts with the current state.',
  410: 'Gone.',
  412: '`Tus-Resumable` missing or not 1.0.0.',
  413: 'The body is too large.',
  415: 'The content type is not supported.',
  422: 'The content was rejected.',
  423: 'Another request holds the upload (tus lock): retry shortly.',
  429: 'Too many requests: wait `Retry-After` seconds (also `error.retryAfterMs`).',
  500: 'Unexpected server error; the request may be retried.',
  503: 'A service this endpoint needs is unavailable.',
};

function errorExample(code: ApiErrorCode, status: number) {
  const error: Record<string, unknown> = { code, message: apiErrorMessages[code] };
  if (code === 'VALIDATION_FAILED') {
    error.fields = [{ path: 'reporter.phone', code: 'reporter.phone.invalid', message: errorMessages['reporter.phone.invalid'] }];
  }
  if (code === 'NOTICE_ACK_INVALID') {
    error.fields = [{ path: 'ackToken', code: 'ackToken.required', message: errorMessages['ackToken.required'] }];
  }
  if (status === 429 || code === 'NOTICE_TOO_EARLY') error.retryAfterMs = 12_000;
  return ErrorBody.parse({ error });
}

function errorResponse(status: number, codes: readonly ApiErrorCode[], note?: string) {
  const description = [STATUS_TEXT[status], note, codes.length ? `Codes: ${codes.map((c) => `\`${c}\``).join(', ')}.` : '']
    .filter(Boolean)
    .join(' ');
  const examples = Object.fromEntries(codes.map((code) => [code, { summary: code, value: errorExample(code, status) }]));
  return {
    description,
    ...(status === 429
      ? { headers: { 'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 0 } } } }
      : {}),
    content: { 'application/json': { schema: schemaRef('ErrorBody'), ...(codes.length ? { examples } : {}) } },
    ...(codes.length ? { 'x-error-codes': codes } : {}),
  };
}

/** Error answers many operations share, as `components/responses`. */
const SHARED_RESPONSES: [name: string, status: number, codes: ApiErrorCode[]][] = [
  ['ValidationFailed', 400, ['VALIDATION_FAILED', 'BAD_REQUEST']],
  ['BodyTooLarge', 413, ['BODY_TOO_LARGE']],
  ['UnsupportedMediaType', 415, ['UNSUPPORTED_MEDIA_TYPE']],
  ['RateLimited', 429, ['RATE_LIMITED']],
  ['Internal', 500, ['INTERNAL']],
];

/**
 * Error responses by status, each listing the codes it carries (`x-error-codes`); 500 `INTERNAL` is always added.
 * A status without a note whose codes match a shared response refers to it.
 */
function errors(byStatus: Partial<Record<number, ApiErrorCode[]>>, notes: Partial<Record<number, string>> = {}) {
  const all: Partial<Record<number, ApiErrorCode[]>> = { ...byStatus, 500: ['INTERNAL'] };
  return Object.fromEntries(
    Object.entries(all).map(([key, codes = []]) => {
      const status = Number(key);
      const note = notes[status];
      const shared = SHARED_RESPONSES.find(([, st, c]) => st === status && c.join() === codes.join());
      return [key, shared && !note ? { $ref: `#/components/responses/${shared[0]}` } : errorResponse(status, codes, note)];
    }),
  );
}

/** The errors of every endpoint that reads a JSON body (see src/server/validate.ts). */
const bodyErrors = (): Partial<Record<number, ApiErrorCode[]>> => ({
  400: ['VALIDATION_FAILED', 'BAD_REQUEST'],
  413: ['BODY_TOO_LARGE'],
  415: ['UNSUPPORTED_MEDIA_TYPE'],
});

// ---------------------------------------------------------------------------------------------------------------
// Operations

const ok = (name: string, description: string) => ({ description, content: { 'application/json': { schema: schemaRef(name) } } });
const jsonBody = (name: string, description: string) => ({
  required: true,
  description,
  content: { 'application/json': { schema: schemaRef(name) } },
});

const exampleBody = 'K7M9QXRT3HW';
const reportCodeParam = {
  name: 'code',
  in: 'path',
  required: true,
  description:
    `Report code: ${REPORT_CODE_LENGTH} characters of \`${CODE_ALPHABET}\`, the last a check character. ` +
    'Spaces, hyphens and lower case are tolerated; an unknown or malformed code answers 404 `REPORT_NOT_FOUND`.',
  schema: { type: 'string', minLength: 1, maxLength: 64 },
  example: exampleBody + checkCharacter(exampleBody),
};
const reportCodeHeader = {
  name: 'X-Report-Code',
  in: 'header',
  required: true,
  description:
    `The report code from the receipt: ${REPORT_CODE_LENGTH} characters of \`${CODE_ALPHABET}\`, the last a check character. ` +
    'Sent as a header, never in the URL: a proxy\'s access log keeps the URL beside the client\'s address. Spaces, ' +
    'hyphens and lower case are tolerated; a missing, unknown or malformed code answers 404 `REPORT_NOT_FOUND`.',
  schema: { type: 'string', minLength: 1, maxLength: 64 },
  example: exampleBody + checkCharacter(exampleBody),
};
const queryKeyHeader = {
  name: 'X-Query-Key',
  in: 'header',
  required: true,
  description:
    `The query key from the receipt (${QUERY_KEY_LENGTH} characters of the report-code alphabet). Sent as a header, ` +
    'never in the URL, so it stays out of logs. Missing or wrong answers 404 `REPORT_NOT_FOUND`, like an unknown code.',
  schema: { type: 'string', minLength: 1, maxLength: 128 },
};
const uploadIdParam = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'Upload id: the last segment of the `Location` answered by `POST /uploads`; also the `attachmentId`.',
  schema: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' },
};
const tusResumable = {
  name: 'Tus-Resumable',
  in: 'header',
  required: true,
  description: 'tus protocol version.',
  schema: { type: 'string', const: '1.0.0' },
};
const header = (description: string, schema: JsonSchema) => ({ description, schema });
const TUS_VERSION_HEADER = header('tus protocol version of the answer.', { type: 'string', const: '1.0.0' });
const OFFSET_HEADER = header('Bytes the server has stored.', { type: 'integer', minimum: 0 });

const STAFF_UNAUTHORIZED =
  'No `Authorization: Bearer` header, or the token is unknown, malformed or revoked (answered with `WWW-Authenticate: Bearer`).';

function paths() {
  return {
    '/health': {
      get: {
        operationId: 'getHealth',
        tags: ['health'],
        summary: 'Liveness and readiness',
        description: 'For load balancers: 503 while the instance drains before shutdown.',
        responses: {
          200: ok('Health', 'Ready: the database answers.'),
          503: ok('Health', 'Draining: send new requests elsewhere.'),
          ...errors({}),
        },
      },
    },
    '/notice': {
      get: {
        operationId: 'getNotice',
        tags: ['notice'],
        summary: 'The reporting notice (举报须知)',
        responses: { 200: ok('Notice', 'The notice; cacheable for 5 minutes.'), ...errors({}) },
      },
    },
    '/notice/receipts': {
      post: {
        operationId: 'startNoticeReceipt',
        tags: ['notice'],
        summary: 'Open a reading receipt',
        description:
          "Call when the notice is shown: the server's clock for `minReadSeconds` starts here, and the answer carries the proof-of-work to solve while the notice is read (the SDK does). At most 10 unconfirmed receipts per client address over 10 minutes. No body.",
        responses: {
          201: ok('NoticeReceipt', 'Receipt opened.'),
          ...errors({ 429: ['RATE_LIMITED'] }, { 429: 'Too many receipts open, or opened this hour, from this address: `Retry-After` says when.' }),
        },
      },
    },
    '/notice/receipts/{id}/confirm': {
      post: {
        operationId: 'confirmNoticeReceipt',
        tags: ['notice'],
        summary: 'Confirm the notice was read',
        description:
          "After `minReadSeconds`, with the solution of the receipt's proof-of-work: answers the token a report needs. Once per receipt: a solution counts once, and a wrong one spends the challenge too.",
        requestBody: jsonBody('NoticeConfirmation', "The receipt's proof-of-work solution."),
        parameters: [{ name: 'id', in: 'path', required: true, description: 'The `receiptId`.', schema: { type: 'string', minLength: 1, maxLength: 128 } }],
        responses: {
          200: ok('NoticeAck', 'The acknowledgement token.'),
          ...errors(
            { 400: ['CHALLENGE_INVALID'], 404: ['NOTICE_RECEIPT_NOT_FOUND'], 409: ['NOTICE_TOO_EARLY'], 413: ['BODY_TOO_LARGE'] },
            {
              400: 'No solution, a wrong one, or one already used or older than an hour: open a new receipt.',
              409: 'Too early: `error.retryAfterMs` says how long to keep reading (the solution is not spent).',
            },
          ),
        },
      },
    },
    '/regions': {
      get: {
        operationId: 'listRegions',
        tags: ['regions'],
        summary: 'Child divisions, or the provincial-level units',
        parameters: [
          {
            name: 'parent',
            in: 'query',
            required: false,
            description: 'Code of the parent division; absent or empty for the 34 provincial-level units.',
            schema: { type: 'string', pattern: '^(\\d{6})?$' },
          },
        ],
        responses: {
          200: ok('RegionList', 'The divisions; cacheable for a day.'),
          ...errors({ 400: ['BAD_REQUEST'], 404: ['NOT_FOUND'] }, { 404: 'No such parent division.' }),
        },
      },
    },
    '/regions/search': {
      get: {
        operationId: 'searchRegions',
        tags: ['regions'],
        summary: 'Divisions by name or pinyin, in the whole country or below one division',
        parameters: [
          {
            name: 'q',
            in: 'query',
            required: true,
            description: 'Name or part of it (`金水`), pinyin initials (`jsq`) or syllables (`jinshui`); 1–20 characters.',
            schema: { type: 'string', minLength: 1, maxLength: 20 },
          },
          {
            name: 'within',
            in: 'query',
            required: false,
            description: 'Code of the division to search below; absent for the whole country.',
            schema: { type: 'string', pattern: '^\\d{6}$' },
          },
        ],
        responses: {
          200: ok('RegionSearch', 'The best 50 matches, shallower places first; cacheable for a day.'),
          ...errors({ 400: ['BAD_REQUEST'], 404: ['NOT_FOUND'] }, { 404: 'No such division for `within`.' }),
        },
      },
    },
    '/regions/{code}': {
      get: {
        operationId: 'getRegion',
        tags: ['regions'],
        summary: 'One division with its ancestors',
        parameters: [{ name: 'code', in: 'path', required: true, description: 'Division code.', schema: { type: 'string', pattern: '^\\d{6}$' } }],
        responses: { 200: ok('RegionDetail', 'The division; cacheable for a day.'), ...errors({ 404: ['NOT_FOUND'] }) },
      },
    },
    '/dictionaries': {
      get: {
        operationId: 'getDictionaries',
        tags: ['dictionaries'],
        summary: 'Industries and problem types',
        responses: { 200: ok('Dictionaries', 'The dictionaries; cacheable for an hour.'), ...errors({}) },
      },
    },
    '/sms/codes': {
      post: {
        operationId: 'sendSmsCode',
        tags: ['sms'],
        summary: 'Send a verification code (real-name reports)',
        description:
          'Only for a reader of the notice: `ackToken` is the confirmed notice token the report will carry (checked, ' +
          'not spent); the code then answers only to that token. Per phone: one code per cooldown and at most ' +
          '10 per Beijing day, whoever asks; per notice: at most 5 codes. Not idempotent: a repeated request may ' +
          'send a second message, so clients do not retry it.',
        requestBody: jsonBody('SmsCodeRequest', 'The phone number to verify and the confirmed notice token.'),
        responses: {
          201: ok('SmsCodeSent', 'The code was sent.'),
          ...errors(
            { ...bodyErrors(), 400: [...bodyErrors()[400]!, 'NOTICE_ACK_INVALID'], 429: ['RATE_LIMITED'], 503: ['UNAVAILABLE'] },
            {
              400: '`NOTICE_ACK_INVALID`: the notice token is unknown, expired or already used by a report.',
              429: 'Within the cooldown after the previous code, past the phone’s daily cap (until 00:00 Beijing time), or past the notice’s 5 codes.',
              503: 'No SMS gateway is configured: report anonymously instead.',
            },
          ),
        },
      },
    },
    '/reports': {
      post: {
        operationId: 'submitReport',
        tags: ['reports'],
        summary: 'File a report',
        description:
          'One `Idempotency-Key`, one report: a repeat with the same key and body answers the first receipt (200); ' +
          'the same key with a different body is 409 `IDEMPOTENCY_KEY_REUSED`. The notice `ackToken` is consumed. ' +
          'Only the date of filing is kept: `submittedAt` is the start (00:00 UTC+8) of the Beijing day, from which the ' +
          'acceptance deadline counts.',
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: true,
            description: 'One per draft, e.g. a UUID made when the draft is created; lets clients retry safely.',
            schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{8,128}$' },
          },
        ],
        requestBody: jsonBody('ReportDraft', 'The report.'),
        responses: {
          201: ok('ReportReceipt', 'Filed. Show `reportCode` and `queryKey` to the reporter: the key is never shown again.'),
          200: ok('ReportReceipt', 'Already filed with this key and body: the first receipt, replayed.'),
          ...errors(
            {
              ...bodyErrors(),
              400: ['VALIDATION_FAILED', 'BAD_REQUEST', 'IDEMPOTENCY_KEY_REQUIRED', 'NOTICE_ACK_INVALID'],
              409: ['IDEMPOTENCY_KEY_REUSED'],
              429: ['RATE_LIMITED'],
            },
            {
              400: 'Field problems (unknown region, industry or problem type, a wrong SMS code, unfinished attachments) come as `VALIDATION_FAILED` with `fields`.',
            },
          ),
        },
      },
    },
    '/reports/progress': {
      get: {
        operationId: 'getProgress',
        tags: ['reports'],
        summary: 'Status, events and deadlines of a report',
        description:
          'The citizen\'s own steps (`submitted` from the web, `supplement-received`) carry only their date: `at` is ' +
          'the start (00:00 UTC+8) of that Beijing day.',
        parameters: [reportCodeHeader, queryKeyHeader],
        responses: {
          200: ok('Progress', 'Where the report stands.'),
          ...errors({ 404: ['REPORT_NOT_FOUND'], 429: ['RATE_LIMITED'] }, { 429: 'Limited per client and per report code.' }),
        },
      },
    },
    '/reports/supplements': {
      post: {
        operationId: 'addSupplement',
        tags: ['reports'],
        summary: 'Answer a supplement request (待补充材料)',
        parameters: [reportCodeHeader, queryKeyHeader],
        requestBody: jsonBody('SupplementDraft', 'Text and evidence the authority asked for.'),
        responses: {
          201: ok('SupplementReceipt', 'Received; the report resumes its previous status.'),
          ...errors(
            { ...bodyErrors(), 404: ['REPORT_NOT_FOUND'], 409: ['SUPPLEMENT_NOT_REQUESTED'], 429: ['RATE_LIMITED'] },
            { 409: 'The report is not waiting for a supplement.' },
          ),
        },
      },
    },
    '/uploads': {
      post: {
        operationId: 'createUpload',
        tags: ['uploads'],
        summary: 'Start a resumable evidence upload (tus 1.0 creation)',
        description:
          'Creates an empty upload of `Upload-Length` bytes and answers its URL in `Location`; send the bytes with ' +
          '`PATCH`. Accepted: JPEG, PNG and PDF up to 20 MiB, MP4 up to 200 MiB, judged by content once complete. ' +
          'Never send a file name: only a MIME-like `filetype` is kept.',
        parameters: [
          tusResumable,
          {
            name: 'Upload-Length',
            in: 'header',
            required: true,
            description: 'Size of the whole file in bytes.',
            schema: { type: 'integer', minimum: 0, maximum: Math.max(s.ATTACHMENT_LIMITS.documentBytes, s.ATTACHMENT_LIMITS.videoBytes) },
          },
          {
            name: 'Upload-Metadata',
            in: 'header',
            required: false,
            description: 'tus metadata, `key base64value` pairs separated by commas. Only `filetype` (a MIME type) is kept, as a hint.',
            schema: { type: 'string' },
          },
        ],
        responses: {
          201: {
            description: 'Upload created.',
            headers: {
              Location: header('Absolute URL of the upload, `…/uploads/{id}`.', { type: 'string' }),
              'Tus-Resumable': TUS_VERSION_HEADER,
              'Upload-Expires': header('When the upload is removed if left unfinished (RFC 9110 date).', { type: 'string' }),
            },
          },
          ...errors(
            { 400: ['BAD_REQUEST'], 412: ['BAD_REQUEST'], 413: ['BODY_TOO_LARGE'] },
            {
              400: '`Upload-Length` missing, or `Upload-Metadata` malformed.',
              413: '`Upload-Length` is above the largest accepted file.',
            },
          ),
        },
      },
    },
    '/uploads/{id}': {
      head: {
        operationId: 'getUploadOffset',
        tags: ['uploads'],
        summary: 'How many bytes the server has (tus 1.0 HEAD)',
        description:
          'Ask before resuming after a failure, then `PATCH` from `Upload-Offset`. A finished upload answers ' +
          '`Upload-Offset` = `Upload-Length`; its attachment is at `GET /uploads/{id}/result`. (A plain `GET` of ' +
          'this URL is always 404: stored evidence is never served back.)',
        parameters: [uploadIdParam, tusResumable],
        responses: {
          200: {
            description: 'The upload exists.',
            headers: {
              'Upload-Offset': OFFSET_HEADER,
              'Upload-Length': header('Size of the whole file in bytes.', { type: 'integer', minimum: 0 }),
              'Tus-Resumable': TUS_VERSION_HEADER,
              'Cache-Control': header('Never cached.', { type: 'string', const: 'no-store' }),
            },
          },
          404: { description: 'No such upload: start a new one.' },
          410: { description: 'The upload expired: start a new one.' },
          412: { description: '`Tus-Resumable` missing or not 1.0.0.' },
          423: { description: 'Another request holds the upload: retry shortly.' },
        },
      },
      patch: {
        operationId: 'uploadChunk',
        tags: ['uploads'],
        summary: 'Append bytes (tus 1.0 PATCH)',
        description: 'When the last byte arrives the upload is checked and stored; fetch the outcome with `GET /uploads/{id}/result`.',
        parameters: [
          uploadIdParam,
          tusResumable,
          {
            name: 'Upload-Offset',
            in: 'header',
            required: true,
            description: 'Where these bytes start; must equal the offset the server has.',
            schema: { type: 'integer', minimum: 0 },
          },
        ],
        requestBody: {
          required: true,
          description: 'The next bytes of the file.',
          content: { 'application/offset+octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } },
        },
        responses: {
          204: {
            description: 'Stored.',
            headers: {
              'Upload-Offset': OFFSET_HEADER,
              'Tus-Resumable': TUS_VERSION_HEADER,
              'Upload-Expires': header('When the upload is removed if left unfinished (RFC 9110 date).', { type: 'string' }),
            },
          },
          ...errors(
            {
              400: ['BAD_REQUEST'],
              403: ['BAD_REQUEST'],
              404: ['NOT_FOUND'],
              409: ['ILLEGAL_TRANSITION'],
              410: ['NOT_FOUND'],
              412: ['BAD_REQUEST'],
              413: ['BODY_TOO_LARGE'],
              423: ['RATE_LIMITED'],
            },
            {
              403: '`Upload-Offset` missing, or the body is not `application/offset+octet-stream` (tus).',
              409: '`Upload-Offset` differs from the stored offset (ask with `HEAD` and resume from there), or the upload is already finished.',
              410: 'The upload expired: start a new one.',
              413: 'More bytes than `Upload-Length`.',
            },
          ),
        },
      },
      delete: {
        operationId: 'deleteUpload',
        tags: ['uploads'],
        summary: 'Abandon an upload (tus 1.0 termination)',
        description: 'Removes an unfinished upload, or a finished attachment no report names yet.',
        parameters: [uploadIdParam, tusResumable],
        responses: {
          204: { description: 'Removed with its bytes.', headers: { 'Tus-Resumable': TUS_VERSION_HEADER } },
          ...errors(
            { 400: ['BAD_REQUEST'], 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 412: ['BAD_REQUEST'], 423: ['RATE_LIMITED'] },
            { 403: 'The attachment is part of a report: evidence stays.' },
          ),
        },
      },
    },
    '/uploads/{id}/result': {
      get: {
        operationId: 'getUploadResult',
        tags: ['uploads'],
        summary: 'The stored attachment of a finished upload',
        description: 'Once all bytes are in, the content is checked (magic bytes, size limit for its type) and image metadata stripped.',
        parameters: [uploadIdParam],
        responses: {
          200: ok('Attachment', 'Stored: name `attachmentId` in `attachmentIds`.'),
          ...errors(
            { 404: ['NOT_FOUND'], 409: ['ATTACHMENT_NOT_READY'], 422: ['ATTACHMENT_REJECTED'] },
            {
              404: 'No such upload, or it expired.',
              409: 'Bytes are still missing.',
              422: 'Not an accepted type, too large for its type, or an image that could not be cleaned of metadata.',
            },
          ),
        },
      },
    },
    '/staff/reports': {
      post: {
        operationId: 'enterReport',
        tags: ['staff'],
        summary: 'Enter a report received by letter, visit, fax, phone or a legacy system',
        description:
          'For the province\'s own servers and the `aqjb-backfill` command (SDK: `createStaffClient().enterReport`), ' +
          'never for browsers. Checks run before anything is written: the schema, the codes, `receivedAt` (at most 5 ' +
          'minutes ahead of the server clock; deadlines run from it), then the token\'s province (403). `externalId` ' +
          'makes it idempotent per province: the same id with the same content answers the first receipt (200), with ' +
          'other content 409.',
        security: [{ staffToken: [] }],
        requestBody: jsonBody('StaffReportEntry', 'The report and where it came from.'),
        responses: {
          201: ok('StaffReportReceipt', 'Entered. Pass `reportCode` and `queryKey` on to the reporter: the key is never shown again.'),
          200: ok('StaffReportReceipt', 'Already entered with this `externalId` and content: the first receipt, replayed.'),
          ...errors(
            {
              ...bodyErrors(),
              401: ['UNAUTHORIZED'],
              403: ['FORBIDDEN'],
              409: ['IDEMPOTENCY_KEY_REUSED'],
            },
            {
              400: 'Field problems (unknown region, industry or problem type, `receivedAt` in the future) come as `VALIDATION_FAILED` with `fields`.',
              401: STAFF_UNAUTHORIZED,
              403: 'The region is outside the token\'s province; nothing was written.',
              409: 'The `externalId` was already used for different content.',
            },
          ),
        },
      },
    },
    '/staff/reports/{code}': {
      get: {
        operationId: 'getReport',
        tags: ['staff'],
        summary: 'A report with its reporter (举报人信息仅经办人员可查看)',
        description:
          'Within the token\'s province only: outside it the answer is 404, the same as for an unknown code. Every read and every refusal is recorded in the audit trail with the token id.',
        security: [{ staffToken: [] }],
        parameters: [reportCodeParam],
        responses: {
          200: ok('StaffReport', 'The report as its handling staff see it.'),
          ...errors(
            { 401: ['UNAUTHORIZED'], 404: ['REPORT_NOT_FOUND'], 409: ['INTEGRITY_FAILED'] },
            {
              401: STAFF_UNAUTHORIZED,
              404: 'No such report within the token\'s province (unknown, or in another province).',
              409: 'The stored reporter value fails its integrity check (altered, or copied from another report): nothing is shown.',
            },
          ),
        },
      },
    },
    '/dev/reports/{code}/actions': {
      post: {
        operationId: 'applyDevAction',
        tags: ['dev'],
        summary: 'Act as the handling authority (`--dev` only)',
        description: 'Moves a report through its life for demos and tests. Routed only when the server runs with `--dev`.',
        parameters: [{ ...reportCodeParam, description: 'Report code.' }],
        requestBody: jsonBody('DevAction', 'What the authority does.'),
        responses: {
          200: ok('Progress', 'The report after the action.'),
          ...errors(
            { ...bodyErrors(), 404: ['REPORT_NOT_FOUND'], 409: ['ILLEGAL_TRANSITION'] },
            { 409: 'The action does not follow from the current status.' },
          ),
        },
        'x-dev-only': true,
      },
    },
    '/dev/outbox': {
      get: {
        operationId: 'getDevOutbox',
        tags: ['dev'],
        summary: 'SMS messages the server would have sent (`--dev` only)',
        description: 'Routed only when the server runs with `--dev`, which then sends no real SMS.',
        responses: { 200: ok('DevOutbox', 'The latest 50 messages, newest first.'), ...errors({}) },
        'x-dev-only': true,
      },
    },
  };
}

/** The OpenAPI 3.1 document of the reference server. Pure: the same input gives the same document. */
export function buildOpenApi(): object {
  return {
    openapi: '3.1.0',
    info: {
      title: 'aqjb-embed reference reporting API',
      version: pkg.version,
      description: [
        'The citizen side of the national work-safety reporting system (安全生产举报): the reading notice, administrative ' +
          'divisions, dictionaries, SMS verification, filing reports with evidence, progress lookups and supplements.',
        '',
        'Paths are relative to a configurable base URL (the `api-base` of the components, the `baseUrl` of the SDK): ' +
          'a portal may serve the API under any prefix, e.g. `https://example.gov.cn/aqjb/api/`.',
        '',
        'Every error answers with one shape, `ErrorBody`: a stable `error.code` (listed in `x-error-codes` with its ' +
          'zh-CN message), zh-CN `error.message`, `error.fields` for validation failures (each with a stable key listed ' +
          'in `x-validation-keys`) and `error.retryAfterMs` when waiting helps; 429 also sets `Retry-After`.',
        '',
        'Request bodies are validated with the same schemas the SDK runs before sending; response objects may gain ' +
          'properties, which clients should ignore.',
        '',
        '`/dev/*` exists only when the server runs with `--dev` (demos and tests); never in production.',
      ].join('\n'),
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
    tags: [
      { name: 'notice', description: 'The reporting notice and the reading-time gate.' },
      { name: 'regions', description: 'Administrative divisions (统计用区划代码), county level and above.' },
      { name: 'dictionaries', description: 'Industries and problem types.' },
      { name: 'sms', description: 'Phone verification for real-name reports.' },
      { name: 'reports', description: 'Filing reports, progress and supplements.' },
      { name: 'uploads', description: 'Resumable evidence uploads (tus 1.0 with the creation, expiration and termination extensions).' },
      {
        name: 'staff',
        description:
          'Staff entry of reports that arrived by letter, visit, fax, phone or a provincial legacy system (the two-year ' +
          'transition), and staff reads of reporter data. Bearer tokens scoped to one province, server-side only.',
      },
      { name: 'dev', description: '`--dev` only: handling actions and the SMS outbox.' },
      { name: 'health', description: 'For load balancers.' },
    ],
    paths: paths(),
    components: {
      schemas: componentSchemas(),
      responses: Object.fromEntries(SHARED_RESPONSES.map(([name, status, codes]) => [name, errorResponse(status, codes)])),
      securitySchemes: {
        staffToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A staff token (`aqjbst_` and 32 characters) scoped to one province, made with `npm run staff-token` on the ' +
            'reference server and stored there only as a hash. Server-side only: never ship it to a browser.',
        },
      },
    },
    'x-error-codes': Object.fromEntries(API_ERROR_CODES.map((code) => [code, apiErrorMessages[code]])),
    'x-validation-keys': Object.fromEntries(ERROR_KEYS.map((key) => [key, errorMessages[key]])),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(OUTPUT, JSON.stringify(buildOpenApi(), null, 2) + '\n');
  console.log(`wrote ${OUTPUT.pathname}`);
}
