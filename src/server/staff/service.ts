import type { Clock } from '../clock.js';
import type { Queryable, Sql } from '../db/sql.js';
import { sealedAt, SealedValueError, type Sealer } from '../crypto.js';
import type { RegionIndex } from '../regions.js';
import { Problem, fieldProblem } from '../problem.js';
import { claimOrReplay } from '../idempotency.js';
import { requestHash, type ReportContent, type ReportRow, type ReportService } from '../reports/service.js';
import type { HandlingService } from '../reports/handling.js';
import { addWorkingDays, beijingDate, workingDaysBetween } from '../deadlines.js';
import type { StaffPrincipal } from './tokens.js';
import { apiErrorMessages } from '../../messages/zh-CN.js';
import { parseReportCode } from '../../sdk/report-code.js';
import {
  INBOX_DUE_WITHIN_DEFAULT,
  INBOX_PAGE,
  type HandlingAction,
  type Inbox,
  type InboxFilters,
  type InboxItem,
  type ParsedStaffReportEntry,
  type StaffReport,
  type StaffReportReceipt,
  type StaffRole,
} from '../../sdk/schemas/staff.js';
import type { ReportReceipt } from '../../sdk/schemas/report.js';
import { LIMITS } from '../../sdk/schemas/limits.js';
import { ReportStatus } from '../../sdk/schemas/progress.js';

export interface StaffServiceDeps {
  sql: Sql;
  clock: Clock;
  sealer: Sealer;
  regions: RegionIndex;
  reports: Pick<ReportService, 'insertReport' | 'checkReferences' | 'toProgress'>;
  handling: HandlingService;
}

export type AuditEntry =
  | { action: 'enter' | 'read' | 'act'; tokenId: string; code: string }
  | { action: 'list'; tokenId: string; code?: undefined }
  | {
      action: 'deny';
      reason: 'token' | 'revoked' | 'scope' | 'unknown' | 'unreadable' | 'role' | 'refused';
      tokenId?: string;
      code?: string;
    };

/** What each role may do (the roles are described at `StaffRole`). */
const MAY: Record<'enter' | 'act' | 'see-reporter', readonly StaffRole[]> = {
  enter: ['handler', 'backfill'],
  act: ['handler'],
  'see-reporter': ['handler'],
};
const ROLE_NAMES: Record<StaffRole, string> = { handler: '经办', backfill: '数据补录', 'read-only': '只读' };

/** An opaque page marker: the last item's (received time, code), newest first. */
const encodeCursor = (at: string, code: string) => Buffer.from(JSON.stringify([at, code])).toString('base64url');
function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // Exactly what encodeCursor writes: an ISO time from 2000 on and a code of our alphabet. Anything else (a time
    // PostgreSQL refuses, a NUL in the code) is the same 400, never a database error.
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value[0]) &&
      value[0] >= LIMITS.earliestDate &&
      !Number.isNaN(Date.parse(value[0])) &&
      typeof value[1] === 'string' &&
      /^[0-9A-Z]{1,32}$/.test(value[1])
    ) {
      return [value[0], value[1]];
    }
  } catch {
    // fall through: the same answer for any marker we did not issue
  }
  throw new Problem(400, 'BAD_REQUEST', { message: '翻页标记无效，请从第一页重新查询' });
}

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

/** What staff see of any report, in the inbox and on the single read (`reportSummary` in the schemas). */
const summaryOf = (row: StaffReportRow) => ({
  reportCode: row.code,
  channel: row.channel,
  mode: row.mode,
  regionCode: row.region_code,
  status: row.status,
  handledBy: { regionCode: row.handling_region, orgName: row.handling_org },
  receivedAt: iso(row.submitted_at),
  subject: { name: row.subject_name, address: row.subject_address },
  industry: row.industry,
});

// Outside the token's division a report does not exist: the same answer as an unknown code, so a token cannot
// learn which codes exist elsewhere, or where.
const notFound = () => new Problem(404, 'REPORT_NOT_FOUND', { message: apiErrorMessages.NOT_FOUND });

interface StaffReportRow extends ReportRow {
  mode: StaffReport['mode'];
  subject_name: string;
  subject_address: string;
  industry: string;
  problem_types: StaffReport['problemTypes'] | string;
  description: string;
  occurred_at: string | null;
  reporter_enc: string | null;
  external_id: string | null;
  /** Migration 011: the deadline running now, if any. */
  running_due: string | null;
}

/**
 * What a province's bureaus and servers do with reports, beside the reports service: enter one (within the token's
 * division, one report per external id), list the inbox, read one (with its reporter for `handler` tokens) and take
 * a handling step (`handler` only, through the one state machine in `reports/handling.ts`). A token answers for the
 * reports handled within its division (属地管理、分级负责): a county's bureau sees its county, a city its city and
 * counties, a province everything below it; anything else is as unknown (404). Every entry, single read, step and
 * refusal is written to `staff_audit` with the route it came through. HTTP stays in routes.ts.
 */
export function createStaffService({ sql, clock, sealer, regions, reports, handling }: StaffServiceDeps) {
  const scopeName = (scope: string) => regions.get(scope)?.name ?? scope;

  /** 403 for a role that may not do this; recorded. */
  async function requireRole(staff: StaffPrincipal, what: 'enter' | 'act', route: string, code?: string): Promise<void> {
    if (MAY[what].includes(staff.role)) return;
    await audit(sql, { action: 'deny', reason: 'role', tokenId: staff.tokenId, ...(code ? { code } : {}) }, route);
    const allowed = MAY[what].map((r) => `「${ROLE_NAMES[r]}」`).join('或');
    throw new Problem(403, 'FORBIDDEN', {
      message: `该令牌的角色为「${ROLE_NAMES[staff.role]}」，不能${what === 'enter' ? '录入举报' : '办理举报'}；请使用${allowed}角色的令牌`,
    });
  }

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
    if (entry.receivedAt < LIMITS.earliestDate) {
      throw fieldProblem([{ path: 'receivedAt', code: 'field.invalid', message: `收到时间不能早于 ${LIMITS.earliestDate}` }]);
    }
    await requireRole(staff, 'enter', route);
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

  /**
   * One report, handled within the token's division, with its history and deadlines; the reporter for `handler`
   * tokens only. Every read is recorded.
   */
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
    if (!handling.visible(row, staff)) {
      await audit(sql, { action: 'deny', reason: row ? 'scope' : 'unknown', tokenId: staff.tokenId, code: parsed.code }, route);
      throw notFound();
    }
    let reporter: StaffReport['reporter'];
    if (row.reporter_enc && MAY['see-reporter'].includes(staff.role)) {
      try {
        reporter = JSON.parse(sealer.open(row.reporter_enc, sealedAt('reports', 'reporter_enc', row.code))) as StaffReport['reporter'];
      } catch (error) {
        if (!(error instanceof SealedValueError)) throw error;
        // Altered, or copied from another row: show nobody's data, and leave a trace for the administrator.
        await audit(sql, { action: 'deny', reason: 'unreadable', tokenId: staff.tokenId, code: row.code }, route);
        throw new Problem(409, 'INTEGRITY_FAILED');
      }
    }
    await audit(sql, { action: 'read', tokenId: staff.tokenId, code: row.code }, route);
    const progress = await reports.toProgress(sql, row, { actors: true });
    return {
      ...summaryOf(row),
      ...(row.external_id ? { externalId: row.external_id } : {}),
      problemTypes: typeof row.problem_types === 'string' ? JSON.parse(row.problem_types) : row.problem_types,
      description: row.description,
      ...(row.occurred_at ? { occurredAt: row.occurred_at } : {}),
      ...(reporter ? { reporter } : {}),
      events: progress.events,
      deadlines: progress.deadlines,
      ...(progress.supplementRequest ? { supplementRequest: progress.supplementRequest } : {}),
    };
  }

  /** One handling step by a `handler` token on a report handled within its division; recorded with the token. */
  async function act(staff: StaffPrincipal, codeText: string, action: HandlingAction, route: string) {
    const parsed = parseReportCode(codeText);
    await requireRole(staff, 'act', route, parsed.ok ? parsed.code : undefined);
    try {
      return await sql.transaction(async (tx) => {
        const progress = await handling.act(codeText, action, staff, tx);
        await audit(tx, { action: 'act', tokenId: staff.tokenId, code: progress.reportCode }, route);
        return progress;
      });
    } catch (error) {
      if (!(error instanceof Problem)) throw error;
      const code = parsed.ok ? parsed.code : undefined;
      if (error.code === 'REPORT_NOT_FOUND') {
        // Outside the division or unknown: the same 404 to the token, but the audit says which.
        const exists = code ? (await sql.query('SELECT 1 FROM reports WHERE code = $1', [code])).rows.length > 0 : false;
        await audit(sql, { action: 'deny', reason: exists ? 'scope' : 'unknown', tokenId: staff.tokenId, ...(code ? { code } : {}) }, route);
        throw notFound();
      }
      // A step the flow does not allow, or a transfer that is not downwards: refused, and recorded for review.
      if (code) await audit(sql, { action: 'deny', reason: 'refused', tokenId: staff.tokenId, code }, route);
      throw error;
    }
  }

  /**
   * The reports handled within the token's division (or the `region` below it), newest first, one page at a time,
   * with counts over all pages. Lists carry no reporter and no description; each request is audited once (`list`,
   * no codes), since it shows the reported units' names and addresses.
   */
  async function inbox(staff: StaffPrincipal, filters: InboxFilters, route: string): Promise<Inbox> {
    if (filters.region && !regions.isWithin(filters.region, staff.scope)) {
      await audit(sql, { action: 'deny', reason: 'scope', tokenId: staff.tokenId }, route);
      throw new Problem(403, 'FORBIDDEN', { message: `该令牌只能查看${scopeName(staff.scope)}范围内的举报` });
    }
    const after = filters.cursor ? decodeCursor(filters.cursor) : undefined;
    const today = beijingDate(clock.now());
    // Due within N working days (0 = today): before the (N + 1)-th working day after today.
    const soonBefore = addWorkingDays(today, (filters.days ?? INBOX_DUE_WITHIN_DEFAULT) + 1).date;
    // Each query binds only the values its clauses use (PostgreSQL refuses unused parameters).
    const params: unknown[] = [];
    const bind = (value: unknown) => `$${params.push(value)}`;
    const division = filters.region ?? staff.scope;
    const prefix = regions.areaPrefix(division);
    // A county is its code; a city or province the range of 6-digit codes with its prefix (one index range, not a
    // list of 200 codes; fixed-width digit strings order the same in every collation).
    const inArea = () =>
      prefix === undefined
        ? `handling_region = ANY(${bind(regions.area(division))}::text[])`
        : prefix.length === division.length
          ? `handling_region = ${bind(division)}`
          : `handling_region BETWEEN ${bind(prefix.padEnd(6, '0'))} AND ${bind(prefix.padEnd(6, '9'))}`;
    const common = () => {
      const where = [inArea()];
      // Received dates are Beijing dates; a report's time is the start of its Beijing day (#17.6).
      if (filters.from) where.push(`submitted_at >= ${bind(`${filters.from}T00:00:00+08:00`)}::timestamptz`);
      if (filters.to) where.push(`submitted_at < (${bind(`${filters.to}T00:00:00+08:00`)}::timestamptz + interval '1 day')`);
      return where;
    };
    // `running_due`: the deadline running now, defined once in migration 011.
    const overdue = () => `running_due < ${bind(today)}`;
    const soon = () => `running_due >= ${bind(today)} AND running_due < ${bind(soonBefore)}`;

    // In one transaction so that SET LOCAL holds for both queries: no parallel workers. The counts read a small
    // covering index (about 20 ms for 100,000 reports); forking workers for it took longer than the scan (66 ms).
    const { counts, rows, limit } = await sql.transaction(async (tx) => {
      if (sql.kind === 'postgres') await tx.query('SET LOCAL max_parallel_workers_per_gather = 0');
      const countWhere = common();
      const counted = await tx.query<{ status: ReportStatus; n: number; overdue: number; soon: number }>(
        `SELECT status, count(*)::int AS n, (count(*) FILTER (WHERE ${overdue()}))::int AS overdue,
           (count(*) FILTER (WHERE ${soon()}))::int AS soon
         FROM reports WHERE ${countWhere.join(' AND ')} GROUP BY status`,
        params.splice(0),
      );
      const byStatus = Object.fromEntries(ReportStatus.options.map((s) => [s, 0])) as Inbox['counts']['byStatus'];
      const counts = { total: 0, byStatus, overdue: 0, dueSoon: 0 };
      for (const row of counted.rows) {
        byStatus[row.status] = row.n;
        if (filters.status && row.status !== filters.status) continue;
        counts.overdue += row.overdue;
        counts.dueSoon += row.soon;
        counts.total += filters.due === 'overdue' ? row.overdue : filters.due === 'soon' ? row.soon : row.n;
      }

      const where = common();
      if (filters.status) where.push(`status = ${bind(filters.status)}`);
      if (filters.due) where.push(filters.due === 'overdue' ? overdue() : soon());
      if (after) {
        const [at, code] = after;
        where.push(`(submitted_at, code) < (${bind(at)}::timestamptz, ${bind(code)})`);
      }
      const limit = filters.limit ?? INBOX_PAGE.default;
      const { rows } = await tx.query<StaffReportRow>(
        `SELECT * FROM reports WHERE ${where.join(' AND ')} ORDER BY submitted_at DESC, code DESC LIMIT ${limit + 1}`,
        params,
      );
      await audit(tx, { action: 'list', tokenId: staff.tokenId }, route);
      return { counts, rows, limit };
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((row) => inboxItem(row, today)),
      ...(rows.length > limit && last ? { nextCursor: encodeCursor(iso(last.submitted_at), last.code) } : {}),
      counts,
    };
  }

  function inboxItem(row: StaffReportRow, today: string): InboxItem {
    const running: InboxItem['due'] = row.running_due
      ? {
          kind: row.status === 'submitted' ? 'acceptance' : 'verification',
          date: row.running_due,
          workingDaysLeft: workingDaysBetween(today, row.running_due),
        }
      : undefined;
    return { ...summaryOf(row), ...(running ? { due: running } : {}) };
  }

  return { audit, enter, read, act, inbox };

}

export type StaffService = ReturnType<typeof createStaffService>;
