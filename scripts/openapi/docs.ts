// The words of openapi.json, by operation: Node only (the route table in src/sdk/contract ships to browsers and
// carries none). Typed by the table's operationIds, so an endpoint without its documentation fails the typecheck;
// a parameter, answer or header without a description fails `npm run openapi` (scripts/openapi.ts).
import type { OperationId } from '../../src/sdk/contract/index.js';
import { ATTACHMENT_LIMITS } from '../../src/sdk/schemas/attachments.js';
import { CODE_ALPHABET, QUERY_KEY_LENGTH, REPORT_CODE_LENGTH, checkCharacter } from '../../src/sdk/report-code.js';

export const TAGS = {
  notice: 'The reporting notice and the reading-time gate.',
  regions: 'Administrative divisions (统计用区划代码), county level and above.',
  dictionaries: 'Industries and problem types.',
  sms: 'Phone verification for real-name reports.',
  reports: 'Filing reports, progress and supplements.',
  uploads: 'Resumable evidence uploads (tus 1.0 with the creation, expiration and termination extensions).',
  staff:
    'Staff entry of reports that arrived by letter, visit, fax, phone or a provincial legacy system (the two-year ' +
    'transition), and staff reads of reporter data. Bearer tokens scoped to one province, server-side only.',
  dev: '`--dev` only: handling actions and the SMS outbox.',
  health: 'For load balancers, process supervisors and the operator\'s Prometheus.',
} as const;

export interface ParameterDoc {
  description: string;
  example?: string;
}

export interface OperationDoc {
  tag: keyof typeof TAGS;
  summary: string;
  description?: string;
  /** Path, query and header parameters by name. */
  parameters?: Record<string, ParameterDoc>;
  requestBody?: string;
  /** Every answer the table lists, success and error, by status; an error's codes are appended. */
  responses: Record<number, string>;
  /** Headers of the answers, by name. */
  headers?: Record<string, string>;
}

const exampleBody = 'K7M9QXRT3HW';
const exampleCode = exampleBody + checkCharacter(exampleBody);
const MIB = 1024 * 1024;

const reportCode: ParameterDoc = {
  description:
    `The report code from the receipt: ${REPORT_CODE_LENGTH} characters of \`${CODE_ALPHABET}\`, the last a check character. ` +
    "Sent as a header, never in the URL: a proxy's access log keeps the URL beside the client's address. Spaces, " +
    'hyphens and lower case are tolerated; a missing, unknown or malformed code answers 404 `REPORT_NOT_FOUND`.',
  example: exampleCode,
};
const queryKey: ParameterDoc = {
  description:
    `The query key from the receipt (${QUERY_KEY_LENGTH} characters of the report-code alphabet). Sent as a header, ` +
    'never in the URL, so it stays out of logs. Missing or wrong answers 404 `REPORT_NOT_FOUND`, like an unknown code.',
};
const uploadId: ParameterDoc = {
  description:
    'Upload id: the last segment of the `Location` answered by `POST /uploads` (22 characters, base64url); also the ' +
    '`attachmentId`. Anything else answers 404 `NOT_FOUND`.',
};
const tusResumable: ParameterDoc = { description: 'tus protocol version; missing or another answers 412 with `Tus-Version`.', example: '1.0.0' };
const TUS_HEADERS = {
  'Tus-Resumable': 'tus protocol version of the answer.',
  'Tus-Version': 'The tus versions this server speaks.',
  'Upload-Offset': 'Bytes the server has stored.',
  'Upload-Length': 'Size of the whole file in bytes.',
  'Upload-Expires': 'When the upload is removed if left unfinished (RFC 9110 date).',
  'Cache-Control': 'Never cached.',
  Location: 'Absolute URL of the upload, `…/uploads/{id}`.',
};
const STAFF_UNAUTHORIZED =
  'No `Authorization: Bearer` header, or the token is unknown, malformed or revoked (answered with `WWW-Authenticate: Bearer`).';
const STAFF_HEADERS = { 'WWW-Authenticate': 'How to authenticate: `Bearer realm="aqjb-staff"`.' };

export const OPERATION_DOCS: Record<OperationId, OperationDoc> = {
  getHealth: {
    tag: 'health',
    summary: 'Readiness',
    description:
      'For load balancers: 200 when the database answers `SELECT 1` and every upload folder takes a probe file ' +
      '(created, written, removed), each within 2 s; 503 while the instance drains before shutdown, or with ' +
      '`status: unavailable` and the checks that failed (`database`, `uploads`; never a path or an error text).',
    responses: {
      200: 'Ready: the database answers and the upload folders are writable.',
      503: '`draining`: shutting down, send new requests elsewhere; `unavailable`: the checks in `failed` did not pass.',
    },
  },
  getLiveness: {
    tag: 'health',
    summary: 'Liveness',
    description:
      'The process answers HTTP; nothing else is checked (not the database), so a supervisor or container ' +
      'HEALTHCHECK that restarts on failure never restarts every instance during a database outage. Also 200 while draining.',
    responses: { 200: 'Alive.' },
  },
  getMetrics: {
    tag: 'health',
    summary: 'Prometheus metrics',
    description:
      'Prometheus text format (0.0.4) of this instance: `aqjb_http_requests_total` and ' +
      '`aqjb_http_request_duration_seconds` by `route` (a path template of this document, or `unmatched`), `method` ' +
      'and `status`; `aqjb_reports_filed_total` by `channel` and `mode`; `aqjb_uploads_in_progress`; ' +
      '`aqjb_rate_limit_refusals_total` by `limit`; `aqjb_db_pool_connections` by `state` (PostgreSQL only); and the ' +
      'process metrics (`aqjb_process_*`, `aqjb_nodejs_*`). No label holds a code, key, id, phone or address. ' +
      'With `AQJB_METRICS_TOKEN` set, only `Authorization: Bearer <token>` is answered; without it, only a client on ' +
      "the server's loopback that came through no proxy (no `X-Forwarded-For`, `Forwarded` or `X-Real-IP`). Anyone " +
      'else gets 404, as for a path that does not exist.',
    responses: {
      200: 'The metrics, `text/plain; version=0.0.4`.',
      404: 'Not for this client (no or a wrong token, or not local): the same answer as a path that does not exist.',
    },
  },
  getNotice: {
    tag: 'notice',
    summary: 'The reporting notice (举报须知)',
    responses: { 200: 'The notice; cacheable for 5 minutes.' },
  },
  startNoticeReceipt: {
    tag: 'notice',
    summary: 'Open a reading receipt',
    description:
      "Call when the notice is shown: the server's clock for `minReadSeconds` starts here, and the answer carries the " +
      'proof-of-work to solve while the notice is read (the SDK does). At most 10 unconfirmed receipts per client ' +
      'address over 10 minutes. No body.',
    responses: {
      201: 'Receipt opened.',
      429: 'Too many receipts open, or opened this hour, from this address: `Retry-After` says when.',
    },
  },
  confirmNoticeReceipt: {
    tag: 'notice',
    summary: 'Confirm the notice was read',
    description:
      "After `minReadSeconds`, with the solution of the receipt's proof-of-work: answers the token a report needs. " +
      'Once per receipt: a solution counts once, and a wrong one spends the challenge too.',
    parameters: { id: { description: 'The `receiptId`.' } },
    requestBody: "The receipt's proof-of-work solution; a missing or malformed one is refused as a wrong one.",
    responses: {
      200: 'The acknowledgement token.',
      400: 'No solution, a wrong one, or one already used or older than an hour: open a new receipt.',
      404: 'No such receipt (unknown, expired or malformed id): open a new one.',
      409: 'Too early: `error.retryAfterMs` says how long to keep reading (the solution is not spent).',
    },
  },
  listRegions: {
    tag: 'regions',
    summary: 'Child divisions, or the provincial-level units',
    parameters: {
      parent: {
        description: 'Code of the parent division (6 digits); absent or empty for the 34 provincial-level units.',
        example: '410000',
      },
    },
    responses: { 200: 'The divisions; cacheable for a day.', 404: 'No such parent division.' },
  },
  searchRegions: {
    tag: 'regions',
    summary: 'Divisions by name or pinyin, in the whole country or below one division',
    parameters: {
      q: {
        description: 'Name or part of it (`金水`), pinyin initials (`jsq`) or syllables (`jinshui`); 1–20 characters once trimmed.',
        example: '金水',
      },
      within: { description: 'Code of the division to search below (6 digits); absent or empty for the whole country.', example: '410000' },
    },
    responses: { 200: 'The best 50 matches, shallower places first; cacheable for a day.', 404: 'No such division for `within`.' },
  },
  getRegion: {
    tag: 'regions',
    summary: 'One division with its ancestors',
    parameters: { code: { description: 'Division code (6 digits); anything else answers 404.', example: '410105' } },
    responses: { 200: 'The division; cacheable for a day.', 404: 'No such division.' },
  },
  getDictionaries: {
    tag: 'dictionaries',
    summary: 'Industries and problem types',
    responses: { 200: 'The dictionaries; cacheable for an hour.' },
  },
  sendSmsCode: {
    tag: 'sms',
    summary: 'Send a verification code (real-name reports)',
    description:
      'Only for a reader of the notice: `ackToken` is the confirmed notice token the report will carry (checked, ' +
      'not spent); the code then answers only to that token. Per phone: one code per cooldown and at most ' +
      '10 per Beijing day, whoever asks; per notice: at most 5 codes. Not idempotent: a repeated request may ' +
      'send a second message, so clients do not retry it.',
    requestBody: 'The phone number to verify and the confirmed notice token.',
    responses: {
      201: 'The code was sent.',
      400: '`NOTICE_ACK_INVALID`: the notice token is unknown, expired or already used by a report.',
      429: 'Within the cooldown after the previous code, past the phone’s daily cap (until 00:00 Beijing time), or past the notice’s 5 codes.',
      503: 'No SMS gateway is configured (`--sms-webhook`), or it did not take the message: nothing was sent, and the phone may ask again at once; or report anonymously, or call 12350.',
    },
  },
  submitReport: {
    tag: 'reports',
    summary: 'File a report',
    description:
      'One `Idempotency-Key`, one report: a repeat with the same key and body answers the first receipt (200); ' +
      'the same key with a different body is 409 `IDEMPOTENCY_KEY_REUSED`. The notice `ackToken` is consumed. ' +
      'Only the date of filing is kept: `submittedAt` is the start (00:00 UTC+8) of the Beijing day, from which the ' +
      'acceptance deadline counts.',
    parameters: {
      'Idempotency-Key': {
        description:
          'One per draft, e.g. a UUID made when the draft is created; lets clients retry safely. Missing or empty: ' +
          '`IDEMPOTENCY_KEY_REQUIRED`; not 8–128 characters of `[A-Za-z0-9_-]`: `BAD_REQUEST`.',
        example: '5f0c2a4e-8d1b-4e57-9a43-1c9e2b7d6f10',
      },
    },
    requestBody: 'The report.',
    responses: {
      201: 'Filed. Show `reportCode` and `queryKey` to the reporter: the key is never shown again.',
      200: 'Already filed with this key and body: the first receipt, replayed.',
      400:
        'Field problems (unknown region, industry or problem type, a wrong SMS code, unfinished attachments) come as ' +
        '`VALIDATION_FAILED` with `fields`.',
      409: 'The key was used for a different report.',
      429: 'Too many reports from this address this hour.',
    },
  },
  getProgress: {
    tag: 'reports',
    summary: 'Status, events and deadlines of a report',
    description:
      "The citizen's own steps (`submitted` from the web, `supplement-received`) carry only their date: `at` is " +
      'the start (00:00 UTC+8) of that Beijing day.',
    parameters: { 'X-Report-Code': reportCode, 'X-Query-Key': queryKey },
    responses: {
      200: 'Where the report stands.',
      404: 'Unknown, missing or malformed code, or a wrong key: the same answer for each.',
      429: 'Limited per client and per report code.',
    },
  },
  addSupplement: {
    tag: 'reports',
    summary: 'Answer a supplement request (待补充材料)',
    parameters: { 'X-Report-Code': reportCode, 'X-Query-Key': queryKey },
    requestBody: 'Text and evidence the authority asked for.',
    responses: {
      201: 'Received; the report resumes its previous status.',
      404: 'Unknown, missing or malformed code, or a wrong key: the same answer for each.',
      409: 'The report is not waiting for a supplement.',
      429: 'Limited per client and per report code.',
    },
  },
  createUpload: {
    tag: 'uploads',
    summary: 'Start a resumable evidence upload (tus 1.0 creation)',
    description:
      'Creates an empty upload of `Upload-Length` bytes and answers its URL in `Location`; send the bytes with ' +
      `\`PATCH\`. Accepted: JPEG, PNG and PDF up to ${ATTACHMENT_LIMITS.documentBytes / MIB} MiB, MP4 up to ` +
      `${ATTACHMENT_LIMITS.videoBytes / MIB} MiB, judged by content once complete. Never send a file name: only a ` +
      'MIME-like `filetype` is kept. Every upload declares its length (no `Upload-Defer-Length`, no `Upload-Concat`).',
    parameters: {
      'Tus-Resumable': tusResumable,
      'Upload-Length': { description: 'Size of the whole file in bytes (decimal digits).', example: '10' },
      'Upload-Metadata': {
        description: 'tus metadata, `key base64value` pairs separated by commas. Only `filetype` (a MIME type) is kept, as a hint.',
        example: 'filetype aW1hZ2UvcG5n',
      },
    },
    headers: TUS_HEADERS,
    responses: {
      201: 'Upload created.',
      400: '`Upload-Length` missing or malformed, `Upload-Defer-Length` or `Upload-Concat` sent, or `Upload-Metadata` malformed.',
      412: '`Tus-Resumable` missing or not 1.0.0.',
      413: '`Upload-Length` is above the limit of the declared type, or of any type.',
      429: 'Too many uploads, or too many bytes, from this address: `Retry-After` says when.',
      507: 'The evidence store is full.',
    },
  },
  getUploadOffset: {
    tag: 'uploads',
    summary: 'How many bytes the server has (tus 1.0 HEAD)',
    description:
      'Ask before resuming after a failure, then `PATCH` from `Upload-Offset`. A finished upload answers ' +
      '`Upload-Offset` = `Upload-Length`; its attachment is at `GET /uploads/{id}/result`. Stored evidence is never ' +
      'served back.',
    parameters: { id: uploadId, 'Tus-Resumable': tusResumable },
    headers: TUS_HEADERS,
    responses: {
      200: 'The upload exists.',
      404: 'No such upload: start a new one.',
      410: 'The upload expired: start a new one.',
      412: '`Tus-Resumable` missing or not 1.0.0.',
      423: 'Another request holds the upload: retry shortly.',
    },
  },
  uploadChunk: {
    tag: 'uploads',
    summary: 'Append bytes (tus 1.0 PATCH)',
    description: 'When the last byte arrives the upload is checked and stored; fetch the outcome with `GET /uploads/{id}/result`.',
    parameters: {
      id: uploadId,
      'Tus-Resumable': tusResumable,
      'Upload-Offset': { description: 'Where these bytes start; must equal the offset the server has.', example: '0' },
    },
    requestBody: 'The next bytes of the file.',
    headers: TUS_HEADERS,
    responses: {
      204: 'Stored.',
      400: '`Upload-Offset` missing or malformed, or `Upload-Length` sent (it is fixed at creation).',
      404: 'No such upload.',
      409: '`Upload-Offset` differs from the stored offset (ask with `HEAD` and resume from there), or the upload is already finished.',
      410: 'The upload expired: start a new one.',
      412: '`Tus-Resumable` missing or not 1.0.0.',
      413: 'More bytes than `Upload-Length`.',
      415: 'The body is not `application/offset+octet-stream`.',
      423: 'Another request holds the upload: retry shortly.',
    },
  },
  deleteUpload: {
    tag: 'uploads',
    summary: 'Abandon an upload (tus 1.0 termination)',
    description: 'Removes an unfinished upload, or a finished attachment no report names yet.',
    parameters: { id: uploadId, 'Tus-Resumable': tusResumable },
    headers: TUS_HEADERS,
    responses: {
      204: 'Removed with its bytes.',
      403: 'The attachment is part of a report: evidence stays.',
      404: 'No such upload.',
      412: '`Tus-Resumable` missing or not 1.0.0.',
      423: 'Another request holds the upload: retry shortly.',
    },
  },
  getUploadResult: {
    tag: 'uploads',
    summary: 'The stored attachment of a finished upload',
    description: 'Once all bytes are in, the content is checked (magic bytes, size limit for its type) and image metadata stripped.',
    parameters: { id: uploadId },
    responses: {
      200: 'Stored: name `attachmentId` in `attachmentIds`.',
      404: 'No such upload, or it expired.',
      409: 'Bytes are still missing.',
      422: 'Not an accepted type, too large for its type, or an image that could not be cleaned of metadata.',
    },
  },
  enterReport: {
    tag: 'staff',
    summary: 'Enter a report received by letter, visit, fax, phone or a legacy system',
    description:
      "For the province's own servers and the `aqjb backfill` command (SDK: `createStaffClient().enterReport`), " +
      'never for browsers. Checks run before anything is written: the schema, the codes, `receivedAt` (at most 5 ' +
      "minutes ahead of the server clock; deadlines run from it), then the token's role (`handler` or `backfill`) and " +
      "division (403). `externalId` makes it idempotent per token division: the same id with the same content " +
      'answers the first receipt (200), with other content 409.',
    requestBody: 'The report and where it came from.',
    headers: STAFF_HEADERS,
    responses: {
      201: 'Entered. Pass `reportCode` and `queryKey` on to the reporter: the key is never shown again.',
      200: 'Already entered with this `externalId` and content: the first receipt, replayed.',
      400: 'Field problems (unknown region, industry or problem type, `receivedAt` in the future) come as `VALIDATION_FAILED` with `fields`.',
      401: STAFF_UNAUTHORIZED,
      403: "The region is outside the token's division, or its role is `read-only`; nothing was written.",
      409: 'The `externalId` was already used for different content.',
      429: 'Too many refused tokens from this address this hour: `Retry-After` says when.',
    },
  },
  getReport: {
    tag: 'staff',
    summary: 'A report with its history; the reporter for `handler` tokens (举报人信息仅经办人员可查看)',
    description:
      "Reports handled within the token's division only: outside it the answer is 404, the same as for an unknown " +
      'code. Any role; the reporter is decrypted for `handler` tokens only. Every read and every refusal is ' +
      'recorded in the audit trail with the token id.',
    parameters: {
      code: {
        description:
          `Report code: ${REPORT_CODE_LENGTH} characters of \`${CODE_ALPHABET}\`, the last a check character. Spaces, ` +
          'hyphens and lower case are tolerated; an unknown or malformed code answers 404 `REPORT_NOT_FOUND`.',
        example: exampleCode,
      },
    },
    headers: STAFF_HEADERS,
    responses: {
      200: 'The report as its handling staff see it.',
      401: STAFF_UNAUTHORIZED,
      404: "No such report within the token's division (unknown, malformed, or handled elsewhere).",
      409: 'The stored reporter value fails its integrity check (altered, or copied from another report): nothing is shown.',
      429: 'Too many refused tokens from this address this hour: `Retry-After` says when.',
    },
  },
  listInbox: {
    tag: 'staff',
    summary: "The inbox of the token's division, with counts (the 督办 view)",
    description:
      'Reports handled within the division the token answers for (属地管理、分级负责: a county sees its county, a ' +
      'city its city and counties, a province everything below it), newest first, a page at a time. Any role. ' +
      'Items carry no description and never the reporter: read one report for those. `counts` cover every page: ' +
      '`total` matches all filters, `byStatus` all but `status`, `overdue` and `dueSoon` all but `due`.',
    parameters: {
      status: { description: 'Only reports in this status.' },
      region: { description: "Only reports handled within this division; it must lie within the token's (else 403)." },
      from: { description: 'Received on or after this Beijing date (2000-01-01 or later).', example: '2026-12-01' },
      to: { description: 'Received on or before this Beijing date (2000-01-01 or later).', example: '2026-12-07' },
      due: {
        description:
          '`overdue`: the running deadline (acceptance while submitted, then verification) has passed; `soon`: it ' +
          'falls within `days` working days, today included.',
      },
      days: { description: 'With `due=soon`: how many working days ahead (1–30, default 3).', example: '3' },
      cursor: { description: '`nextCursor` of the previous page.' },
      limit: { description: 'Items per page (1–100, default 20).', example: '20' },
    },
    headers: STAFF_HEADERS,
    responses: {
      200: 'A page of the inbox, with counts over all pages.',
      400: 'A filter is malformed, or the cursor was not issued by this server.',
      401: STAFF_UNAUTHORIZED,
      403: "`region` lies outside the token's division.",
      429: 'Too many refused tokens from this address this hour: `Retry-After` says when.',
    },
  },
  applyAction: {
    tag: 'staff',
    summary: 'Take a handling step: accept, reject, transfer, request a supplement, extend, verify, close',
    description:
      "For `handler` tokens, on a report handled within the token's division. The operations manual's flow decides " +
      'which step may follow which (409 otherwise); a transfer goes only to a division below the one handling it; ' +
      "the verification is extended once, by at most 30 days. The step enters the citizen's history with the " +
      "bureau's name, and the token's id beside it (shown to staff only).",
    parameters: {
      code: {
        description: 'Report code; an unknown or malformed one, or one handled outside the division, answers 404.',
        example: exampleCode,
      },
    },
    requestBody: 'The step and what it needs.',
    headers: STAFF_HEADERS,
    responses: {
      200: 'The report after the step, as the citizen\'s lookup shows it.',
      400: 'Field problems (`VALIDATION_FAILED`), e.g. a transfer to a division that is not below the handling one.',
      401: STAFF_UNAUTHORIZED,
      403: 'The token\'s role may not take handling steps (`backfill`, `read-only`).',
      404: "No such report within the token's division.",
      409: 'The step does not follow from the current status, or the verification was already extended.',
      429: 'Too many refused tokens from this address this hour: `Retry-After` says when.',
    },
  },
  applyDevAction: {
    tag: 'dev',
    summary: 'Act as the handling authority (`--dev` only)',
    description:
      'The staff handling steps (`applyAction`) without a token and in every division, so demos and tests can move ' +
      'a report through its life. Routed only when the server runs with `--dev`.',
    parameters: { code: { description: 'Report code.', example: exampleCode } },
    requestBody: 'What the authority does.',
    responses: {
      200: 'The report after the action.',
      404: 'No such report.',
      409: 'The action does not follow from the current status.',
    },
  },
  getDevOutbox: {
    tag: 'dev',
    summary: 'SMS messages the server would have sent (`--dev` only)',
    description: 'Routed only when the server runs with `--dev`, which then sends no real SMS.',
    responses: { 200: 'The latest 50 messages, newest first.' },
  },
};
