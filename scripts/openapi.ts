// Builds openapi.json, the OpenAPI 3.1 description of the reference server, entirely from the route table
// (src/sdk/contract: paths, methods, parameters, bodies, answers, error codes, security) and the words of
// scripts/openapi/docs.ts.
//
//   npm run openapi        (node --import tsx scripts/openapi.ts)
//
// Schemas are named through a registry local to this script, never `z.globalRegistry`: src/sdk ships to browsers
// and must not carry documentation metadata. Requests (bodies and parameters) are converted as zod *input*
// (defaulted fields are optional, and carry no `default`, so generated clients do not make them required) and
// responses as *output*. tests/sdk/openapi.test.ts fails when the committed file is stale, when the document is
// not valid OpenAPI 3.1 or redocly finds an error in it, or when the server routes something the document does not
// describe.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import * as z from 'zod/mini';
import * as s from '../src/sdk/schemas/index.js';
import { API_ERROR_CODES, ERROR_KEYS, ErrorBody, type ApiErrorCode } from '../src/sdk/schemas/index.js';
import { ROUTES, type Route } from '../src/sdk/contract/index.js';
import { Health } from '../src/sdk/contract/health.js';
import { apiErrorMessages, errorMessages } from '../src/messages/zh-CN.js';
import { OPERATION_DOCS, TAGS, type OperationDoc } from './openapi/docs.js';

export const OUTPUT = new URL('../openapi.json', import.meta.url);

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

type JsonSchema = Record<string, unknown>;
type Meta = { id?: string; description?: string };

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
  ['DevOutboxEntry', s.DevOutboxEntry, 'out', '`--dev` only: one SMS the server would have sent.'],
  ['DevOutbox', s.DevOutbox, 'out', '`--dev` only: the latest SMS messages, newest first.'],
  ['Health', Health, 'out', 'Liveness and readiness of this instance.'],
  ['StaffReporter', s.StaffReporter, 'in', 'The reporter as staff or a legacy system know them: name and mobile, ID number optional; no SMS code (a signed letter or a visit stands for it).'],
  ['StaffReportEntry', s.StaffReportEntry, 'in', 'A report that reached an authority by letter, visit, fax, phone or a legacy system, entered by staff: `ReportContent` with `externalId`, `channel` and `receivedAt`.'],
  ['StaffReportReceipt', s.StaffReportReceipt, 'out', 'The citizen receipt (code and query key, to pass on to the reporter) and the `externalId` it answers.'],
  ['StaffReport', s.StaffReport, 'out', 'A report as its handling staff see it, with its history (each handling step with the token that took it); the reporter for `handler` tokens only (举报人信息仅经办人员可查看).'],
  ['HandlingAction', s.HandlingAction, 'in', "A handling step: accept; reject with one of the three reasons; transfer to a division below; request a supplement; extend the verification once (1–30 days); verify; close with the outcome and any reward. Also the body of the `--dev` actions."],
  ['InboxItem', s.InboxItem, 'out', 'One report in the inbox: no description, never the reporter; `due` is the deadline running now.'],
  ['Inbox', s.Inbox, 'out', 'A page of the inbox, newest first, with counts over every page.'],
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
 * Object schemas that strip unknown keys (`z.object`) get no `additionalProperties: false` in responses: the SDK
 * ignores properties it does not know, so the server may add some. Strict ones (`z.strictObject`, every request
 * body) keep it. Safe-integer bounds of `z.int()` and the regex behind `format: date(-time)` are dropped as noise.
 * A request's defaults are the server's business: `default` would make openapi-typescript require the field.
 */
const override =
  (io: 'input' | 'output') =>
  ({ zodSchema, jsonSchema }: { zodSchema: z.core.$ZodTypes; jsonSchema: z.core.JSONSchema.BaseSchema }) => {
    const def = zodSchema._zod.def;
    if (def.type === 'object' && def.catchall === undefined) delete jsonSchema.additionalProperties;
    if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
    if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
    // zod spells out RFC 3339 as a 400-character regex; `format` says the same.
    if (jsonSchema.format === 'date-time' || jsonSchema.format === 'date') delete jsonSchema.pattern;
    if (io === 'input') delete jsonSchema.default;
  };

/**
 * Converts the registry once per side. */
function componentSchemas(): Record<string, JsonSchema> {
  const registry = z.registry<Meta>();
  for (const [schema, description] of PROPERTIES) {
    if (!schema) throw new Error(`openapi: a described property no longer exists (${description})`);
    registry.add(schema, { description });
  }
  for (const [id, schema, , description] of COMPONENTS) registry.add(schema, { id, description });

  const convert = (io: 'input' | 'output') => {
    const { schemas } = z.toJSONSchema(registry, {
      io,
      metadata: registry,
      target: 'draft-2020-12',
      uri: (id) => `#/components/schemas/${id}`,
      override: override(io),
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
  412: 'A precondition failed.',
  413: 'The body is too large.',
  415: 'The content type is not supported.',
  422: 'The content was rejected.',
  423: 'Locked.',
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

/** Error answers many operations share without a note of their own, as `components/responses`. */
const SHARED_RESPONSES: [name: string, status: number, codes: ApiErrorCode[]][] = [
  ['BadRequest', 400, ['BAD_REQUEST']],
  ['ValidationFailed', 400, ['VALIDATION_FAILED', 'BAD_REQUEST']],
  ['BodyTooLarge', 413, ['BODY_TOO_LARGE']],
  ['UnsupportedMediaType', 415, ['UNSUPPORTED_MEDIA_TYPE']],
  ['RateLimited', 429, ['RATE_LIMITED']],
  ['Internal', 500, ['INTERNAL']],
];

/**
 * Every error an operation can answer, by status: what its checks refuse (a JSON body: 400, 413, 415; params, query
 * and headers: the table's refusal), what the table lists for its handler, 400 `BAD_REQUEST` for a request target
 * with a control character or broken percent-encoding (app.ts refuses those before any route) and 500 `INTERNAL`.
 */
function errorsOf(route: Route): Map<number, ApiErrorCode[]> {
  const all = new Map<number, ApiErrorCode[]>();
  const add = (status: number, ...codes: readonly ApiErrorCode[]) => {
    const list = all.get(status) ?? [];
    for (const code of codes) if (!list.includes(code)) list.push(code);
    all.set(status, list);
  };
  if (route.body && route.refuse?.body !== 'absent') {
    add(400, 'VALIDATION_FAILED', 'BAD_REQUEST');
    add(415, 'UNSUPPORTED_MEDIA_TYPE');
  }
  if (route.body) add(413, 'BODY_TOO_LARGE');
  for (const target of TARGETS) if (route[target]) add(...(route.refuse?.[target] ?? ([400, 'BAD_REQUEST'] as const)));
  for (const [status, codes] of Object.entries(route.errors)) add(Number(status), ...codes);
  add(400, 'BAD_REQUEST');
  add(500, 'INTERNAL');
  return new Map([...all].sort(([a], [b]) => a - b));
}

// ---------------------------------------------------------------------------------------------------------------
// Operations

const TARGETS = ['params', 'query', 'headers'] as const;
const PARAMETER_IN = { params: 'path', query: 'query', headers: 'header' } as const;

/** Body schemas are components, so generated clients get their names. */
const COMPONENT_NAMES = new Map<z.ZodMiniType, string>(COMPONENTS.map(([name, schema]) => [schema, name]));
function componentRef(operationId: string, schema: z.ZodMiniType) {
  const name = COMPONENT_NAMES.get(schema);
  if (!name) throw new Error(`openapi: a body of ${operationId} is not among COMPONENTS; name it there`);
  return schemaRef(name);
}

/** Parameters and headers, converted as requests are (input side). */
function fieldSchemas(schema: z.ZodMiniObject): { properties: Record<string, JsonSchema>; required: string[] } {
  const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', override: override('input') }) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return { properties: json.properties ?? {}, required: json.required ?? [] };
}

const missing = (operationId: string, what: string): never => {
  throw new Error(`openapi: ${operationId} has no description of ${what} in scripts/openapi/docs.ts`);
};

function parameters(route: Route, doc: OperationDoc) {
  const out: object[] = [];
  const described = new Set(Object.keys(doc.parameters ?? {}));
  for (const target of TARGETS) {
    const schema = route[target];
    if (!schema) continue;
    const { properties, required } = fieldSchemas(schema);
    for (const [name, property] of Object.entries(properties)) {
      const { description, example } = doc.parameters?.[name] ?? missing(route.operationId, `its parameter ${name}`);
      described.delete(name);
      out.push({
        name,
        in: PARAMETER_IN[target],
        required: target === 'params' || required.includes(name),
        description,
        schema: property,
        ...(example !== undefined ? { example } : {}),
      });
    }
  }
  if (described.size) throw new Error(`openapi: ${route.operationId} documents parameters it does not take: ${[...described].join(', ')}`);
  return out;
}

function answerHeaders(route: Route, doc: OperationDoc, status: number) {
  const schema = route.responseHeaders?.[status];
  const headers: Record<string, object> = {};
  if (schema) {
    const { properties, required } = fieldSchemas(schema);
    for (const [name, property] of Object.entries(properties)) {
      headers[name] = {
        description: doc.headers?.[name] ?? missing(route.operationId, `its answer header ${name}`),
        required: required.includes(name),
        schema: property,
      };
    }
  }
  if (status === 429) headers['Retry-After'] = { description: 'Seconds to wait before trying again.', required: true, schema: { type: 'integer', minimum: 0 } };
  return Object.keys(headers).length ? { headers } : {};
}

function errorResponse(status: number, codes: readonly ApiErrorCode[], { note, head = false }: { note?: string; head?: boolean } = {}) {
  const description = [STATUS_TEXT[status], note, codes.length ? `Codes: ${codes.map((c) => `\`${c}\``).join(', ')}.` : '']
    .filter(Boolean)
    .join(' ');
  const examples = Object.fromEntries(codes.map((code) => [code, { summary: code, value: errorExample(code, status) }]));
  return {
    description,
    ...(status === 429
      ? { headers: { 'Retry-After': { description: 'Seconds to wait before trying again.', required: true, schema: { type: 'integer', minimum: 0 } } } }
      : {}),
    // A HEAD answer has no body to describe.
    ...(head ? {} : { content: { 'application/json': { schema: schemaRef('ErrorBody'), ...(codes.length ? { examples } : {}) } } }),
    ...(codes.length ? { 'x-error-codes': codes } : {}),
  };
}

function operation(route: Route, usedShared: Set<string>) {
  const doc: OperationDoc = OPERATION_DOCS[route.operationId as keyof typeof OPERATION_DOCS];
  const head = route.method === 'head';
  const responses: Record<string, object> = {};
  for (const [key, schema] of Object.entries(route.responses)) {
    const status = Number(key);
    responses[key] = {
      description: doc.responses[status] ?? missing(route.operationId, `its ${status} answer`),
      ...answerHeaders(route, doc, status),
      ...(schema && !head ? { content: { 'application/json': { schema: componentRef(route.operationId, schema) } } } : {}),
    };
  }
  for (const [status, codes] of errorsOf(route)) {
    const note = doc.responses[status];
    const headers = answerHeaders(route, doc, status);
    const shared = SHARED_RESPONSES.find(([, st, c]) => st === status && c.join() === codes.join());
    if (shared && !note && !head && !route.responseHeaders?.[status]) {
      usedShared.add(shared[0]);
      responses[status] = { $ref: `#/components/responses/${shared[0]}` };
    } else {
      responses[status] = { ...errorResponse(status, codes, { note, head }), ...headers };
    }
  }
  const params = parameters(route, doc);
  const body = route.body
    ? { 'application/json': { schema: componentRef(route.operationId, route.body) } }
    : route.rawBody
      ? { [route.rawBody]: { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } }
      : undefined;
  return {
    operationId: route.operationId,
    tags: [doc.tag],
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    // Public operations say so: no security applies, whatever a later global default may be.
    security: route.security === 'staff' ? [{ staffToken: [] }] : [],
    ...(params.length ? { parameters: params } : {}),
    ...(body ? { requestBody: { required: true, description: doc.requestBody ?? missing(route.operationId, 'its body'), content: body } } : {}),
    responses,
    ...(route.dev ? { 'x-dev-only': true } : {}),
  };
}

/** `paths`, in the table's order, and the shared error answers they refer to. */
function paths(usedShared: Set<string>) {
  const out: Record<string, Record<string, object>> = {};
  for (const route of Object.values(ROUTES) as Route[]) {
    (out[route.path] ??= {})[route.method] = operation(route, usedShared);
  }
  return out;
}

/** The OpenAPI 3.1 document of the reference server. Pure: the same input gives the same document. */
export function buildOpenApi(): object {
  const usedShared = new Set<string>();
  const builtPaths = paths(usedShared);
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
        'A method a path does not list answers 405 `METHOD_NOT_ALLOWED` with `Allow` (the listed methods, and HEAD ' +
          'wherever GET is listed); a path not listed here answers 404 `NOT_FOUND`. Every request whose path or query ' +
          'holds a control character or broken percent-encoding answers 400 `BAD_REQUEST`.',
        '',
        '`/dev/*` exists only when the server runs with `--dev` (demos and tests); never in production.',
      ].join('\n'),
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths: builtPaths,
    components: {
      schemas: componentSchemas(),
      responses: Object.fromEntries(
        SHARED_RESPONSES.filter(([name]) => usedShared.has(name)).map(([name, status, codes]) => [name, errorResponse(status, codes)]),
      ),
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
