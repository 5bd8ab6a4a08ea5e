export { createStaffRoutes, type StaffRoutesDeps } from './routes.js';
export {
  authenticateStaff,
  createStaffToken,
  listStaffTokens,
  revokeStaffToken,
  looksLikeStaffToken,
  type StaffPrincipal,
  type StaffTokenInfo,
} from './tokens.js';
