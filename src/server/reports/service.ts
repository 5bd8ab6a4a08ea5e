import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Queryable, Sql } from '../db/sql.js';
import type { Sealer } from '../crypto.js';
import { randomToken, sameHash, sealedAt, secretHash } from '../crypto.js';
import { Problem, fieldProblem } from '../problem.js';
import type { RegionIndex } from '../regions.js';
import { acceptanceDue, beijingDate, startOfBeijingDay, verificationDue, workingDaysBetween } from '../deadlines.js';
import { dictionaries } from '../content/dictionaries.js';
import { AttachmentUnavailableError, type AttachmentRepo } from '../uploads/routes.js';
import { errorMessages } from '../../messages/zh-CN.js';
import type { ErrorKey } from '../../sdk/schemas/error-keys.js';
import type { FieldIssue } from '../../sdk/schemas/common.js';
import type { ParsedReportDraft, ReportReceipt, SupplementDraft } from '../../sdk/schemas/report.js';
import type { ParsedReportContent } from '../../sdk/schemas/staff.js';
import type { Channel, Deadline, Progress, ProgressEvent, ReportStatus } from '../../sdk/schemas/progress.js';
import { generateQueryKey, generateReportCode, normalizeQueryKey, parseReportCode } from '../../sdk/report-code.js';
import type { SmsService } from '../sms.js';
import { claimOrReplay } from '../idempotency.js';

/** What a stored report holds, however it arrived: the draft without the notice token and the SMS check. */
export type ReportContent = ParsedReportContent;

interface Deps {
  sql: Sql;
  clock: Clock;
  sealer: Sealer;
  regions: RegionIndex;
  attachments: AttachmentRepo;
  sms: SmsService;
  /** Told of each report as it is written (metrics: `aqjb_reports_filed_total`). */
  onFiled?: (filed: { channel: Channel; mode: ReportContent['mode'] }) => void;
}

/** A `reports` row as the services read it. */
export interface ReportRow {
  code: string;
  query_key_hash: string;
  status: ReportStatus;
  resume_status: ReportStatus | null;
  channel: Channel;
  region_code: string;
  handling_region: string;
  handling_org: string;
  submitted_at: string | Date;
  accept_due: string;
  accept_estimated: boolean;
  decided_at: string | Date | null;
  verify_due: string | null;
  verify_estimated: boolean;
  extension_days: number;
  supplement_request: string | null;
  closed_at: string | Date | null;
}

const iso = (v: string | Date | number) => new Date(v).toISOString();
const field = (path: string, code: ErrorKey): FieldIssue => ({ path, code, message: errorMessages[code] });

/** Canonical JSON (sorted keys) so the same report hashes the same however its keys were ordered. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const requestHash = (body: unknown) => createHash('sha256').update(canonical(body)).digest('hex');

// A fixed hash compared against when a code is unknown, so both answers take the same work.
const DUMMY_HASH = secretHash('aqjb-dummy-query-key');

/**
 * How long a stored receipt answers a retried submission, counted from the start of its day: two to three days,
 * while a retry needs the 3-hour ack token anyway. Each holds a report's code and query key, so it is not kept longer.
 */
export const IDEMPOTENCY_TTL_MS = 72 * 3600_000;

export function createReportService({ sql, clock, sealer, regions, attachments, sms, onFiled }: Deps) {
  /** Semantic checks the schema cannot make: codes that must exist in our dictionaries and division list. */
  function checkReferences(draft: ReportContent): void {
    const issues: FieldIssue[] = [];
    if (!regions.get(draft.regionCode)) issues.push(field('regionCode', 'region.unknown'));
    if (!dictionaries.industries.some((i) => i.code === draft.industry)) issues.push(field('industry', 'industry.unknown'));
    draft.problemTypes.forEach((choice, index) => {
      const type = dictionaries.problemTypes.find((t) => t.code === choice.code);
      if (!type) return void issues.push(field(`problemTypes.${index}.code`, 'problemTypes.unknown'));
      if (choice.items?.some((item) => !type.items.some((i) => i.code === item))) {
        issues.push(field(`problemTypes.${index}.items`, 'problemTypes.itemUnknown'));
      }
    });
    // The schema (`IsoDate`) has refused dates that do not exist; a future day depends on the server's clock.
    if (draft.occurredAt !== undefined && draft.occurredAt > beijingDate(clock.now())) {
      issues.push(field('occurredAt', 'occurredAt.future'));
    }
    if (issues.length) throw fieldProblem(issues);
  }

  /** Every named attachment must be a finished upload no other report uses; else the field error, nothing linked. */
  async function requireAttachments(tx: Queryable, ids: string[]): Promise<void> {
    try {
      await attachments.requireFinished(tx, ids);
    } catch (error) {
      if (error instanceof AttachmentUnavailableError) throw fieldProblem([field('attachmentIds', 'attachments.unknown')]);
      throw error;
    }
  }

  /** Appends to a report's history; `actor`: the staff token that took a handling step (never shown to citizens). */
  async function insertEvent(db: Queryable, code: string, event: ProgressEvent, actor: string | null = null): Promise<void> {
    const { type, at, ...data } = event;
    await db.query(
      `INSERT INTO report_events (report_code, seq, type, at, data, actor)
       VALUES ($1, (SELECT coalesce(max(seq), 0) + 1 FROM report_events WHERE report_code = $1), $2, $3, $4, $5)`,
      [code, type, at, JSON.stringify(data), actor],
    );
  }

  /**
   * Stores one report with its first event, inside the caller's transaction: the one place a report is written,
   * whether a citizen filed it on the web or staff entered it from a letter, visit, fax, phone or legacy system.
   * The deadline runs from `receivedAt` (when the authority received it, not when it was typed in).
   */
  async function insertReport(
    tx: Queryable,
    draft: ReportContent,
    { channel, receivedAt }: { channel: Channel; receivedAt: number },
  ): Promise<ReportReceipt> {
    const code = generateReportCode();
    const queryKey = generateQueryKey();
    await requireAttachments(tx, draft.attachmentIds);
    const orgName = regions.orgNameFor(draft.regionCode);
    const accept = acceptanceDue(receivedAt);
    const reporter =
      draft.mode === 'real-name'
        ? sealer.seal(
            JSON.stringify({ name: draft.reporter.name, phone: draft.reporter.phone, idNumber: draft.reporter.idNumber || undefined }),
            sealedAt('reports', 'reporter_enc', code),
          )
        : null;
    await tx.query(
      `INSERT INTO reports (code, query_key_hash, mode, channel, region_code, handling_region, handling_org, status,
         subject_name, subject_address, industry, problem_types, description, occurred_at, reporter_enc,
         submitted_at, accept_due, accept_estimated)
       VALUES ($1, $2, $3, $4, $5, $5, $6, 'submitted', $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        code,
        secretHash(queryKey),
        draft.mode,
        channel,
        draft.regionCode,
        orgName,
        draft.subject.name,
        draft.subject.address,
        draft.industry,
        JSON.stringify(draft.problemTypes),
        draft.description,
        draft.occurredAt ?? null,
        reporter,
        iso(receivedAt),
        accept.due,
        accept.estimated,
      ],
    );
    // The attachments move to new ids (#17.6): the ones the client sent are upload ids, in a proxy's access log.
    await attachments.link(tx, draft.attachmentIds, { reportId: code });
    await insertEvent(tx, code, { type: 'submitted', at: iso(receivedAt), org: orgName, channel });
    // Counted inside the transaction: one that fails after this point (the database gone) is counted all the same.
    onFiled?.({ channel, mode: draft.mode });
    return {
      reportCode: code,
      queryKey,
      submittedAt: iso(receivedAt),
      routedTo: { regionCode: draft.regionCode, orgName },
      acceptBy: accept.due,
    };
  }

  /**
   * Files a citizen's report. One Idempotency-Key, one report: a replay with the same body answers the stored
   * receipt; a different body under the same key is 409. Concurrent requests with one key serialise on the key's
   * primary key inside the transaction.
   */
  async function submit(draft: ParsedReportDraft, idempotencyKey: string): Promise<{ receipt: ReportReceipt; created: boolean }> {
    const now = clock.now();
    // Only the Beijing date is kept of a citizen's request (#17.6): the deadlines count from it, and a finer time
    // beside a proxy's log would tie the report to one request. The receipt shows the same date.
    const day = startOfBeijingDay(now);
    const claim = { slot: { table: 'idempotency_keys', key: idempotencyKey }, hash: requestHash(draft), createdAt: iso(day) } as const;
    const prepare = async () => {
      checkReferences(draft);
      // The notice token is checked before the code (#17.7): a junk token never spends a try of someone's code.
      return draft.mode === 'real-name' ? await sms.check(draft.reporter.phone, draft.reporter.smsCode, draft.ackToken) : undefined;
    };
    return claimOrReplay({ sql, sealer }, claim, prepare, async (tx, smsCheck): Promise<ReportReceipt> => {
      // Deleted, not marked: a consumption time would be the report's exact moment (#17.6).
      const ack = await tx.query(
        `DELETE FROM notice_receipts
         WHERE ack_hash = $1 AND consumed_at IS NULL AND ack_expires_at > $2 RETURNING id`,
        [secretHash(draft.ackToken), iso(now)],
      );
      if (ack.rowCount === 0) throw new Problem(400, 'NOTICE_ACK_INVALID', { fields: [field('ackToken', 'ackToken.required')] });
      if (smsCheck) await sms.consume(tx, smsCheck);
      return insertReport(tx, draft, { channel: 'web', receivedAt: day });
    });
  }

  /**
   * Finds a report by code and query key. An unknown code and a wrong key give the same answer after the same
   * work (one query, one constant-time comparison).
   */
  async function authorize(db: Queryable, codeText: string, keyText: string): Promise<ReportRow> {
    const parsed = parseReportCode(codeText);
    const code = parsed.ok ? parsed.code : parsed.normalized.slice(0, 32);
    const { rows } = await db.query<ReportRow>('SELECT * FROM reports WHERE code = $1', [code]);
    const row = rows[0];
    const match = sameHash(row?.query_key_hash ?? DUMMY_HASH, secretHash(normalizeQueryKey(keyText)));
    if (!row || !match) throw new Problem(404, 'REPORT_NOT_FOUND');
    return row;
  }

  function deadlines(row: ReportRow, today: string): Deadline[] {
    const open = (due: string) => ({ workingDaysLeft: workingDaysBetween(today, due) });
    const out: Deadline[] = [
      {
        kind: 'acceptance',
        due: row.accept_due,
        estimated: row.accept_estimated,
        ...(row.decided_at ? { metAt: iso(row.decided_at) } : open(row.accept_due)),
      },
    ];
    if (row.verify_due) {
      out.push({
        kind: 'verification',
        due: row.verify_due,
        estimated: row.verify_estimated,
        ...(row.closed_at ? { metAt: iso(row.closed_at) } : open(row.verify_due)),
      });
    }
    return out;
  }

  /**
   * Where a report stands, as its citizen sees it. `actors` (staff reads only): each handling step also names the
   * token that took it (`tokenId`), from the same read of the history.
   */
  async function toProgress(db: Queryable, row: ReportRow, { actors = false } = {}): Promise<Progress> {
    const { rows } = await db.query<{ type: string; at: string | Date; data: Record<string, unknown>; actor: string | null }>(
      'SELECT type, at, data, actor FROM report_events WHERE report_code = $1 ORDER BY seq',
      [row.code],
    );
    const events = rows.map(
      (e) => ({ ...e.data, type: e.type, at: iso(e.at), ...(actors && e.actor ? { tokenId: e.actor } : {}) }) as ProgressEvent,
    );
    return {
      reportCode: row.code,
      status: row.status,
      handledBy: { regionCode: row.handling_region, orgName: row.handling_org },
      events,
      deadlines: deadlines(row, beijingDate(clock.now())),
      ...(row.status === 'supplement-requested' && row.supplement_request ? { supplementRequest: row.supplement_request } : {}),
    };
  }

  async function progress(code: string, queryKey: string): Promise<Progress> {
    return toProgress(sql, await authorize(sql, code, queryKey));
  }

  async function addSupplement(code: string, queryKey: string, draft: SupplementDraft & { attachmentIds: string[] }) {
    return sql.transaction(async (tx) => {
      const row = await authorize(tx, code, queryKey);
      const locked = await tx.query<ReportRow>('SELECT * FROM reports WHERE code = $1 FOR UPDATE', [row.code]);
      const current = locked.rows[0]!;
      if (current.status !== 'supplement-requested') throw new Problem(409, 'SUPPLEMENT_NOT_REQUESTED');
      await requireAttachments(tx, draft.attachmentIds);
      const id = randomToken(12);
      const at = iso(startOfBeijingDay(clock.now())); // the date only, as for the report (#17.6)
      // The attachments' new ids, never the upload ids the client sent (those are in a proxy's access log, #17.6).
      const attachmentIds = await attachments.link(tx, draft.attachmentIds, { reportId: current.code, supplementId: id });
      await tx.query('INSERT INTO supplements (id, report_code, text, attachment_ids, received_at) VALUES ($1, $2, $3, $4, $5)', [
        id,
        current.code,
        draft.text,
        JSON.stringify(attachmentIds),
        at,
      ]);
      await tx.query('UPDATE reports SET status = resume_status, resume_status = NULL, supplement_request = NULL WHERE code = $1', [
        current.code,
      ]);
      await insertEvent(tx, current.code, {
        type: 'supplement-received',
        at,
        org: current.handling_org,
        attachmentCount: attachmentIds.length,
      });
      return { receivedAt: at };
    });
  }

  /** Drops stored receipts no retry can still need. */
  async function prune(): Promise<void> {
    await sql.query('DELETE FROM idempotency_keys WHERE created_at < $1', [iso(clock.now() - IDEMPOTENCY_TTL_MS)]);
  }

  return { submit, progress, addSupplement, prune, requestHash, insertReport, insertEvent, checkReferences, toProgress, authorize };
}

export type ReportService = ReturnType<typeof createReportService>;
