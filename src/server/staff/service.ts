import type { Clock } from '../clock.js';
import type { Queryable, Sql } from '../db/sql.js';
import { sealedAt, SealedValueError, type Sealer } from '../crypto.js';
import type { RegionIndex } from '../regions.js';
import { Problem, fieldProblem } from '../problem.js';
import { claimOrReplay } from '../idempotency.js';
import { requestHash, type ReportContent, type ReportService } from '../reports/service.js';
import type { StaffPrincipal } from './tokens.js';
import { apiErrorMessages } from '../../messages/zh-CN.js';
import { parseReportCode } from '../../sdk/report-code.js';
import type { ParsedStaffReportEntry, StaffReport, StaffReportReceipt } from '../../sdk/schemas/staff.js';
import type { ReportReceipt } from '../../sdk/schemas/report.js';
import type { ReportStatus } from '../../sdk/schemas/progress.js';

export interface StaffServiceDeps {
  sql: Sql;
  clock: Clock;
  sealer: Sealer;
  regions: RegionIndex;
  reports: Pick<ReportService, 'insertReport' | 'checkReferences'>;
}

export type AuditEntry =
  | { action: 'enter' | 'read'; tokenId: string; code: string }
  | { action: 'deny'; reason: 'token' | 'revoked' | 'scope' | 'unknown' | 'unreadable'; tokenId?: string; code?: string };

// A letter's date stamp can be a few minutes ahead of our clock; anything more is a typing or export error.
const FUTURE_TOLERANCE_MS = 5 * 60_000;

const iso = (v: string | Date | number) => new Date(v).toISOString();

/** What a stored report holds: the entry without its bookkeeping fields. */
function contentOf(entry: ParsedStaffReportEntry): ReportContent {
  const { externalId: _id, channel: _channel, receivedAt: _at, ...content } = entry;
  if (content.mode === 'real-name') {
    const { name, phone, idNumber } = content.reporter;
    return { ...content, reporter: { name, phone, ...(idNumber ? { idNumber } : {}) } };
  }
  return content;
}

// Outside the token's province a report does not exist: the same answer as an unknown code, so a token cannot
// learn which codes exist elsewhere, or where.
const notFound = () => new Problem(404, 'REPORT_NOT_FOUND', { message: apiErrorMessages.NOT_FOUND });

interface StaffReportRow {
  code: string;
  channel: StaffReport['channel'];
  mode: StaffReport['mode'];
  region_code: string;
  handling_region: string;
  handling_org: string;
  status: ReportStatus;
  subject_name: string;
  subject_address: string;
  industry: string;
  problem_types: StaffReport['problemTypes'] | string;
  description: string;
  occurred_at: string | null;
  reporter_enc: string | null;
  submitted_at: string | Date;
  external_id: string | null;
}

/**
 * What a province's staff and servers do with reports, beside the reports service: enter one (scoped to the token's
 * region, one report per external id) and read one with its reporter. Every entry, read and refusal is written to
 * `staff_audit` with the route it came through. HTTP stays in routes.ts.
 */
export function createStaffService({ sql, clock, sealer, regions, reports }: StaffServiceDeps) {
  const scopeName = (scope: string) => regions.get(scope)?.name ?? scope;

  async function audit(db: Queryable, entry: AuditEntry, route: string): Promise<void> {
    await db.query(
      'INSERT INTO staff_audit (token_id, action, reason, report_code, route, at) VALUES ($1, $2, $3, $4, $5, $6)',
      [entry.tokenId ?? null, entry.action, entry.action === 'deny' ? entry.reason : null, entry.code ?? null, route, iso(clock.now())],
    );
  }

  /**
   * Enters one report. Checks run before anything is written: the codes, the token's region (403), then the
   * external id: the same id with the same content answers the first receipt, with other content 409.
   */
  async function enter(staff: StaffPrincipal, entry: ParsedStaffReportEntry, route: string) {
    const now = clock.now();
    const receivedAt = Date.parse(entry.receivedAt);
    if (receivedAt > now + FUTURE_TOLERANCE_MS) {
      throw fieldProblem([{ path: 'receivedAt', code: 'field.invalid', message: '收到时间不能晚于现在' }]);
    }
    const content = contentOf(entry);
    reports.checkReferences(content);
    if (!regions.isWithin(content.regionCode, staff.scope)) {
      await audit(sql, { action: 'deny', reason: 'scope', tokenId: staff.tokenId }, route);
      throw new Problem(403, 'FORBIDDEN', { message: `该令牌只能录入${scopeName(staff.scope)}范围内的举报` });
    }
    const claim = {
      slot: { table: 'external_ids', scope: staff.scope, externalId: entry.externalId },
      hash: requestHash({ ...content, channel: entry.channel, receivedAt: iso(receivedAt) }),
      createdAt: iso(now),
      reusedMessage: '该 externalId 已用于另一份内容不同的举报',
    } as const;
    const { receipt, created } = await claimOrReplay(
      { sql, sealer },
      claim,
      () => undefined,
      async (tx): Promise<ReportReceipt> => {
        const stored = await reports.insertReport(tx, content, { channel: entry.channel, receivedAt });
        await audit(tx, { action: 'enter', tokenId: staff.tokenId, code: stored.reportCode }, route);
        return stored;
      },
    );
    return { receipt: { ...receipt, externalId: entry.externalId } satisfies StaffReportReceipt, created };
  }

  /** One report with its reporter, for staff of its province only; every read is recorded. */
  async function read(staff: StaffPrincipal, codeText: string, route: string): Promise<StaffReport> {
    const parsed = parseReportCode(codeText);
    if (!parsed.ok) {
      await audit(sql, { action: 'deny', reason: 'unknown', tokenId: staff.tokenId }, route);
      throw notFound();
    }
    const { rows } = await sql.query<StaffReportRow>(
      `SELECT r.*, x.external_id FROM reports r LEFT JOIN external_ids x ON x.report_code = r.code WHERE r.code = $1`,
      [parsed.code],
    );
    const row = rows[0];
    if (!row || !regions.isWithin(row.region_code, staff.scope)) {
      await audit(sql, { action: 'deny', reason: row ? 'scope' : 'unknown', tokenId: staff.tokenId, code: parsed.code }, route);
      throw notFound();
    }
    let reporter: StaffReport['reporter'];
    try {
      reporter = row.reporter_enc
        ? (JSON.parse(sealer.open(row.reporter_enc, sealedAt('reports', 'reporter_enc', row.code))) as StaffReport['reporter'])
        : undefined;
    } catch (error) {
      if (!(error instanceof SealedValueError)) throw error;
      // Altered, or copied from another row: show nobody's data, and leave a trace for the administrator.
      await audit(sql, { action: 'deny', reason: 'unreadable', tokenId: staff.tokenId, code: row.code }, route);
      throw new Problem(409, 'INTEGRITY_FAILED');
    }
    await audit(sql, { action: 'read', tokenId: staff.tokenId, code: row.code }, route);
    return {
      reportCode: row.code,
      ...(row.external_id ? { externalId: row.external_id } : {}),
      channel: row.channel,
      mode: row.mode,
      regionCode: row.region_code,
      status: row.status,
      handledBy: { regionCode: row.handling_region, orgName: row.handling_org },
      receivedAt: iso(row.submitted_at),
      subject: { name: row.subject_name, address: row.subject_address },
      industry: row.industry,
      problemTypes: typeof row.problem_types === 'string' ? JSON.parse(row.problem_types) : row.problem_types,
      description: row.description,
      ...(row.occurred_at ? { occurredAt: row.occurred_at } : {}),
      ...(reporter ? { reporter } : {}),
    };
  }

  return { audit, enter, read };
}

export type StaffService = ReturnType<typeof createStaffService>;
