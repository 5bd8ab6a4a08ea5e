import { Hono, type Context } from 'hono';
import type { Clock } from '../clock.js';
import type { Queryable, Sql } from '../db/sql.js';
import { sealedAt, SealedValueError, type Sealer } from '../crypto.js';
import type { RegionIndex } from '../regions.js';
import { Problem, fieldProblem } from '../problem.js';
import { register } from '../validate.js';
import { enterReport, getReport } from '../../sdk/contract/staff.js';
import { requestHash, type ReportContent, type ReportService } from '../reports/service.js';
import { identifyStaff, type StaffPrincipal } from './tokens.js';
import { apiErrorMessages } from '../../messages/zh-CN.js';
import { parseReportCode } from '../../sdk/report-code.js';
import {
  type ParsedStaffReportEntry,
  type StaffReport,
  type StaffReportReceipt,
} from '../../sdk/schemas/staff.js';
import type { ReportReceipt } from '../../sdk/schemas/report.js';
import type { ReportStatus } from '../../sdk/schemas/progress.js';

export interface StaffRoutesDeps {
  sql: Sql;
  clock: Clock;
  sealer: Sealer;
  regions: RegionIndex;
  reports: Pick<ReportService, 'insertReport' | 'checkReferences'>;
}

// A letter's date stamp can be a few minutes ahead of our clock; anything more is a typing or export error.
const FUTURE_TOLERANCE_MS = 5 * 60_000;

const iso = (v: string | Date | number) => new Date(v).toISOString();

function bearer(c: Context): string | undefined {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/** What a stored report holds: the entry without its bookkeeping fields. */
function contentOf(entry: ParsedStaffReportEntry): ReportContent {
  const { externalId: _id, channel: _channel, receivedAt: _at, ...content } = entry;
  if (content.mode === 'real-name') {
    const { name, phone, idNumber } = content.reporter;
    return { ...content, reporter: { name, phone, ...(idNumber ? { idNumber } : {}) } };
  }
  return content;
}

const forbidden = (scopeName: string) => new Problem(403, 'FORBIDDEN', { message: `该令牌只能录入${scopeName}范围内的举报` });

// Outside the token's province a report does not exist: the same answer as an unknown code, so a token cannot
// learn which codes exist elsewhere, or where.
const notFound = () => new Problem(404, 'REPORT_NOT_FOUND', { message: apiErrorMessages.NOT_FOUND });

type AuditEntry =
  | { action: 'enter' | 'read'; tokenId: string; code: string }
  | { action: 'deny'; reason: 'token' | 'revoked' | 'scope' | 'unknown' | 'unreadable'; tokenId?: string; code?: string };

/** Method and route pattern of a request no route has matched yet (a refused token), and the code it asked for. */
function requestShape(method: string, path: string): { route: string; code?: string } {
  const match = /^\/staff\/reports\/([^/]+)$/.exec(path);
  if (!match) return { route: `${method} ${path === '/staff/reports' ? path : '/staff/*'}` };
  const parsed = parseReportCode(match[1]!);
  return { route: `${method} /staff/reports/:code`, ...(parsed.ok ? { code: parsed.code } : {}) };
}

/**
 * `/staff/*`: reports entered by a province's staff or servers, and their reads of reporter data. Every request
 * carries `Authorization: Bearer <token>`; a token is scoped to one region (a province) and may enter and read
 * reports only within it: a read outside it is 404, as for an unknown code. `staff_audit` records every entry,
 * every read and every refusal (bad or revoked token, outside the province, unknown code, a reporter value that
 * fails its integrity check). Mount with `app.route('/staff', createStaffRoutes(deps))`.
 */
export function createStaffRoutes({ sql, clock, sealer, regions, reports }: StaffRoutesDeps) {
  const app = new Hono<{ Variables: { staff: StaffPrincipal } }>();

  const scopeName = (scope: string) => regions.get(scope)?.name ?? scope;

  app.use('*', async (c, next) => {
    const found = await identifyStaff(sql, bearer(c));
    if (!found.ok) {
      // No route is matched yet: the audit names the request by method and route pattern, never the token.
      const { route, code } = requestShape(c.req.method, c.req.path);
      await audit(sql, { action: 'deny', reason: found.revokedId ? 'revoked' : 'token', tokenId: found.revokedId, code }, route);
      const body = new Problem(401, 'UNAUTHORIZED', { message: '缺少有效的经办人员令牌（Authorization: Bearer …）' }).body;
      return c.json(body, 401, { 'WWW-Authenticate': 'Bearer realm="aqjb-staff"' });
    }
    c.set('staff', found.staff);
    await next();
  });

  async function audit(db: Queryable, entry: AuditEntry, route: string) {
    await db.query(
      'INSERT INTO staff_audit (token_id, action, reason, report_code, route, at) VALUES ($1, $2, $3, $4, $5, $6)',
      [entry.tokenId ?? null, entry.action, entry.action === 'deny' ? entry.reason : null, entry.code ?? null, route, iso(clock.now())],
    );
  }

  async function replay(db: Queryable, scope: string, externalId: string, hash: string) {
    const { rows } = await db.query<{ request_hash: string; response_enc: string | null }>(
      'SELECT request_hash, response_enc FROM external_ids WHERE scope = $1 AND external_id = $2',
      [scope, externalId],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (row.request_hash !== hash || !row.response_enc) {
      throw new Problem(409, 'IDEMPOTENCY_KEY_REUSED', { message: '该 externalId 已用于另一份内容不同的举报' });
    }
    return JSON.parse(sealer.open(row.response_enc, sealedAt('external_ids', 'response_enc', scope, externalId))) as ReportReceipt;
  }

  /**
   * Enters one report. Checks run before anything is written: the schema, the codes, the token's region (403),
   * then the external id: the same id with the same content answers the first receipt (200), with other content 409.
   */
  register(app, enterReport, async (c, { body: entry }) => {
    const staff: StaffPrincipal = c.get('staff');
    const now = clock.now();
    const receivedAt = Date.parse(entry.receivedAt);
    if (receivedAt > now + FUTURE_TOLERANCE_MS) {
      throw fieldProblem([{ path: 'receivedAt', code: 'field.invalid', message: '收到时间不能晚于现在' }]);
    }
    const content = contentOf(entry);
    reports.checkReferences(content);
    if (!regions.isWithin(content.regionCode, staff.scope)) {
      await audit(sql, { action: 'deny', reason: 'scope', tokenId: staff.tokenId }, 'POST /staff/reports');
      throw forbidden(scopeName(staff.scope));
    }

    const hash = requestHash({ ...content, channel: entry.channel, receivedAt: iso(receivedAt) });
    const answer = (receipt: ReportReceipt, created: boolean) =>
      c.json({ ...receipt, externalId: entry.externalId } satisfies StaffReportReceipt, created ? 201 : 200);

    const earlier = await replay(sql, staff.scope, entry.externalId, hash);
    if (earlier) return answer(earlier, false);

    const result = await sql.transaction(async (tx) => {
      // Concurrent entries of one id serialise on the primary key; the loser answers the winner's receipt.
      const claimed = await tx.query(
        `INSERT INTO external_ids (scope, external_id, request_hash, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (scope, external_id) DO NOTHING RETURNING external_id`,
        [staff.scope, entry.externalId, hash, iso(now)],
      );
      if (claimed.rowCount === 0) {
        const stored = await replay(tx, staff.scope, entry.externalId, hash);
        if (stored) return { receipt: stored, created: false };
      }
      const receipt = await reports.insertReport(tx, content, { channel: entry.channel, receivedAt });
      await tx.query('UPDATE external_ids SET report_code = $3, response_enc = $4 WHERE scope = $1 AND external_id = $2', [
        staff.scope,
        entry.externalId,
        receipt.reportCode,
        sealer.seal(JSON.stringify(receipt), sealedAt('external_ids', 'response_enc', staff.scope, entry.externalId)),
      ]);
      await audit(tx, { action: 'enter', tokenId: staff.tokenId, code: receipt.reportCode }, 'POST /staff/reports');
      return { receipt, created: true };
    });
    return answer(result.receipt, result.created);
  }, { base: '/staff' });

  /** One report with its reporter, for staff of its province only; every read is recorded. */
  register(app, getReport, async (c, { params }) => {
    const staff: StaffPrincipal = c.get('staff');
    const route = 'GET /staff/reports/:code';
    const parsed = parseReportCode(params.code);
    if (!parsed.ok) {
      await audit(sql, { action: 'deny', reason: 'unknown', tokenId: staff.tokenId }, route);
      throw notFound();
    }
    const { rows } = await sql.query<{
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
    }>(
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
    const report: StaffReport = {
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
    return c.json(report);
  }, { base: '/staff' });

  return app;
}
