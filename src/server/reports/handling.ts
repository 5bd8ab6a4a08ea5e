import type { Clock } from '../clock.js';
import type { Queryable, Sql } from '../db/sql.js';
import { Problem, fieldProblem } from '../problem.js';
import type { RegionIndex } from '../regions.js';
import { verificationDue } from '../deadlines.js';
import { errorMessages } from '../../messages/zh-CN.js';
import lookupTexts from '../../components/locales/zh-CN/lookup.js';
import { parseReportCode } from '../../sdk/report-code.js';
import type { Progress, ReportStatus } from '../../sdk/schemas/progress.js';
import type { HandlingAction } from '../../sdk/schemas/staff.js';
import type { ReportRow, ReportService } from './service.js';

/** Who takes a step: a staff token (its id goes into the history) within its division, or `--dev` (anywhere). */
export interface Actor {
  tokenId: string | null;
  /** The division the actor answers for; `null`: every division (`--dev`). */
  scope: string | null;
}

interface Deps {
  sql: Sql;
  clock: Clock;
  regions: RegionIndex;
  reports: Pick<ReportService, 'insertEvent' | 'toProgress'>;
}

/** What each handling action may follow (the operations manual's flow); anything else is 409. */
const ALLOWED: Record<HandlingAction['action'], readonly ReportStatus[]> = {
  accept: ['submitted'],
  reject: ['submitted'],
  transfer: ['accepted', 'transferred'],
  verify: ['accepted', 'transferred'],
  'request-supplement': ['accepted', 'transferred', 'verifying', 'extended'],
  extend: ['accepted', 'transferred', 'verifying'],
  close: ['accepted', 'transferred', 'verifying', 'extended'],
};

/**
 * Each status by its Chinese name (the refusals here, aqjb inbox): the citizen's names from the lookup's texts, but
 * a report not yet decided is 待受理 to the bureau that must decide it (受理中 to the citizen).
 */
export const STATUS_NAMES: Record<ReportStatus, string> = { ...lookupTexts.status, submitted: '待受理' };
const ACTION_NAMES: Record<HandlingAction['action'], string> = {
  accept: '受理',
  reject: '不予受理',
  transfer: '转办',
  verify: '开始核查',
  'request-supplement': '要求补充材料',
  extend: '延期',
  close: '办结',
};

/**
 * The one state machine of a report's handling, for the staff API and the `--dev` actions alike. A step is taken
 * inside one transaction on the locked row, recorded as an event of the citizen's history (with the bureau that
 * handles it then) and with the actor's token id beside it (`report_events.actor`, never shown to citizens).
 */
export function createHandlingService({ sql, clock, regions, reports }: Deps) {
  /** A report the actor answers for: handled within its division. Anything else is as unknown (404). */
  const visible = (row: ReportRow | undefined, actor: Actor): row is ReportRow =>
    !!row && (actor.scope === null || regions.isWithin(row.handling_region, actor.scope));

  async function act(codeText: string, action: HandlingAction, actor: Actor, db?: Queryable): Promise<Progress> {
    const parsed = parseReportCode(codeText);
    if (!parsed.ok) throw new Problem(404, 'REPORT_NOT_FOUND');
    const run = async (tx: Queryable) => {
      const { rows } = await tx.query<ReportRow>('SELECT * FROM reports WHERE code = $1 FOR UPDATE', [parsed.code]);
      const row = rows[0];
      if (!visible(row, actor)) throw new Problem(404, 'REPORT_NOT_FOUND');
      const again = action.action === 'extend' && row.extension_days > 0;
      if (again || !ALLOWED[action.action].includes(row.status)) {
        throw new Problem(409, 'ILLEGAL_TRANSITION', {
          message: again
            ? '核查期限只能延长一次，本举报已延期'
            : `举报当前为「${STATUS_NAMES[row.status]}」，不能「${ACTION_NAMES[action.action]}」`,
        });
      }
      const now = clock.now();
      const at = new Date(now).toISOString();
      const org = row.handling_org;
      const event = (e: Parameters<typeof reports.insertEvent>[2]) => reports.insertEvent(tx, row.code, e, actor.tokenId);
      const set = async (assignments: string, params: unknown[]) =>
        tx.query(`UPDATE reports SET ${assignments} WHERE code = $1`, [row.code, ...params]);
      switch (action.action) {
        case 'accept': {
          const verify = verificationDue(now);
          await set(`status = 'accepted', decided_at = $2, verify_due = $3, verify_estimated = $4`, [at, verify.due, verify.estimated]);
          await event({ type: 'accepted', at, org });
          break;
        }
        case 'reject':
          await set(`status = 'not-accepted', decided_at = $2`, [at]);
          await event({ type: 'not-accepted', at, org, reason: action.reason });
          break;
        case 'transfer': {
          // Downwards only: to a division below the one handling it now (so always within the actor's own).
          const target = regions.get(action.toRegionCode);
          if (!target || target.code === row.handling_region || !regions.isWithin(target.code, row.handling_region)) {
            throw fieldProblem([{ path: 'toRegionCode', code: 'transfer.region', message: errorMessages['transfer.region'] }]);
          }
          const toOrg = regions.orgNameFor(target.code);
          await set(`status = 'transferred', handling_region = $2, handling_org = $3`, [target.code, toOrg]);
          await event({ type: 'transferred', at, org, toOrg, toRegionCode: target.code });
          break;
        }
        case 'verify':
          await set(`status = 'verifying'`, []);
          await event({ type: 'verifying', at, org });
          break;
        case 'request-supplement':
          await set(`resume_status = status, status = 'supplement-requested', supplement_request = $2`, [action.request]);
          await event({ type: 'supplement-requested', at, org, request: action.request });
          break;
        case 'extend': {
          const verify = verificationDue(new Date(row.decided_at!).getTime(), action.days);
          await set(`status = 'extended', extension_days = $2, verify_due = $3, verify_estimated = $4`, [
            action.days,
            verify.due,
            verify.estimated,
          ]);
          await event({ type: 'extension-requested', at, org, days: action.days });
          await event({ type: 'extension-approved', at, org, days: action.days, verifyBy: verify.due });
          break;
        }
        case 'close':
          await set(`status = 'closed', closed_at = $2`, [at]);
          await event({
            type: 'closed',
            at,
            org,
            outcome: action.outcome,
            substantiated: action.substantiated,
            ...(action.reward ? { reward: action.reward } : {}),
          });
          break;
      }
      const updated = await tx.query<ReportRow>('SELECT * FROM reports WHERE code = $1', [row.code]);
      return reports.toProgress(tx, updated.rows[0]!);
    };
    return db ? run(db) : sql.transaction(run);
  }

  return { act, visible };
}

export type HandlingService = ReturnType<typeof createHandlingService>;
