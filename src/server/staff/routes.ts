import { Hono } from 'hono';
import { Problem } from '../problem.js';
import { bearerToken } from '../bearer.js';
import { honoPath, register, routeMatcher } from '../validate.js';
import { applyAction, enterReport, getReport, listInbox } from '../../sdk/contract/staff.js';
import type { Route } from '../../sdk/contract/route.js';
import { identifyStaff, type StaffPrincipal } from './tokens.js';
import { createStaffService, type StaffServiceDeps } from './service.js';
import { parseReportCode } from '../../sdk/report-code.js';

export type StaffRoutesDeps = StaffServiceDeps;

/** How the audit trail names a route: `GET /staff/reports/:code`. */
const auditName = (route: Route) => `${route.method.toUpperCase()} ${honoPath(route.path)}`;
const staffRoute = routeMatcher([enterReport, getReport, listInbox, applyAction]);

/**
 * Method and route pattern of a request no route has matched yet (a refused token), from the same table, and the
 * code it asked for.
 */
function requestShape(method: string, path: string): { route: string; code?: string } {
  const found = staffRoute(path);
  if (!found) return { route: `${method} /staff/*` };
  const parsed = found.params.code === undefined ? undefined : parseReportCode(found.params.code);
  return { route: `${method} ${honoPath(found.template)}`, ...(parsed?.ok ? { code: parsed.code } : {}) };
}

/**
 * `/staff/*`: the staff API of the bureaus and the province's servers: entry, the inbox, single reads and handling
 * steps. Every request carries `Authorization: Bearer <token>`; a token answers for one division (province,
 * prefecture or county) with a role (rules in service.ts): a report handled outside it is 404, as for an unknown
 * code. `staff_audit` records every entry, single read, step and refusal (bad or revoked token, outside the
 * division, a role that may not, unknown code, a reporter value that fails its integrity check).
 * Mount with `app.route('/staff', createStaffRoutes(deps))`.
 */
export function createStaffRoutes(deps: StaffRoutesDeps) {
  const app = new Hono<{ Variables: { staff: StaffPrincipal } }>();
  const staffService = createStaffService(deps);

  app.use('*', async (c, next) => {
    const found = await identifyStaff(deps.sql, bearerToken(c.req.header('authorization')));
    if (!found.ok) {
      // No route is matched yet: the audit names the request by method and route pattern, never the token.
      const { route, code } = requestShape(c.req.method, c.req.path);
      await staffService.audit(deps.sql, { action: 'deny', reason: found.revokedId ? 'revoked' : 'token', tokenId: found.revokedId, code }, route);
      const body = new Problem(401, 'UNAUTHORIZED', { message: '缺少有效的经办人员令牌（Authorization: Bearer …）' }).body;
      return c.json(body, 401, { 'WWW-Authenticate': 'Bearer realm="aqjb-staff"' });
    }
    c.set('staff', found.staff);
    await next();
  });

  /** Enters one report: 201 with its receipt, or 200 with the first receipt when the external id was entered before. */
  register(app, enterReport, async (c, { body: entry }) => {
    const { receipt, created } = await staffService.enter(c.get('staff'), entry, auditName(enterReport));
    return c.json(receipt, created ? 201 : 200);
  }, { base: '/staff' });

  /** One report handled within the token's division; the reporter for `handler` tokens. */
  register(app, getReport, async (c, { params }) => {
    return c.json(await staffService.read(c.get('staff'), params.code, auditName(getReport)));
  }, { base: '/staff' });

  /** The inbox of the token's division, with counts. */
  register(app, listInbox, async (c, { query }) => {
    return c.json(await staffService.inbox(c.get('staff'), query, auditName(listInbox)));
  }, { base: '/staff' });

  /** One handling step (`handler` tokens). */
  register(app, applyAction, async (c, { params, body }) => {
    return c.json(await staffService.act(c.get('staff'), params.code, body, auditName(applyAction)));
  }, { base: '/staff' });

  return app;
}
