import type { Queryable } from '../db/sql.js';
import { randomBytes } from 'node:crypto';
import { randomToken, secretHash } from '../crypto.js';
import { STAFF_TOKEN_PATTERN, type StaffRole } from '../../sdk/schemas/staff.js';

/**
 * A staff token's holder: the id for the audit trail, the division it answers for (a province, prefecture or
 * county code: it sees the reports handled within it) and its role (what it may do there).
 */
export interface StaffPrincipal {
  tokenId: string;
  scope: string;
  role: StaffRole;
  label: string;
}

export interface StaffTokenInfo extends StaffPrincipal {
  createdAt: string;
  revokedAt: string | null;
}

// A recognisable prefix lets secret scanners and log filters find leaked tokens.
const PREFIX = 'aqjbst_';

/** True for something shaped like a staff token; the database decides whether it is one. */
export const looksLikeStaffToken = (value: string) => STAFF_TOKEN_PATTERN.test(value);

/**
 * Creates a token for one division (e.g. 410000 河南省, 410100 郑州市, 410105 金水区) and role, and returns it in
 * clear text: the only time it exists outside the holder's hands. The database keeps its SHA-256 (192 random bits
 * need no pepper). The caller checks that the division exists.
 */
export async function createStaffToken(
  db: Queryable,
  { scope, role, label, now = Date.now() }: { scope: string; role: StaffRole; label: string; now?: number },
): Promise<{ id: string; token: string }> {
  // Hex, not base64url: an id that began with '-' would read as an option on the operator's command line.
  const id = randomBytes(6).toString('hex');
  const token = `${PREFIX}${randomToken(24)}`;
  await db.query('INSERT INTO staff_tokens (id, token_hash, scope, role, label, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
    id,
    secretHash(token),
    scope,
    role,
    label,
    new Date(now).toISOString(),
  ]);
  return { id, token };
}

/** Revokes by id; true when a live token was revoked. Requests with it fail from the next one on. */
export async function revokeStaffToken(db: Queryable, id: string, now = Date.now()): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE staff_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [
    id,
    new Date(now).toISOString(),
  ]);
  return rowCount > 0;
}

export async function listStaffTokens(db: Queryable): Promise<StaffTokenInfo[]> {
  const { rows } = await db.query<{
    id: string;
    scope: string;
    role: StaffRole;
    label: string;
    created_at: string | Date;
    revoked_at: string | Date | null;
  }>('SELECT id, scope, role, label, created_at, revoked_at FROM staff_tokens ORDER BY created_at, id');
  return rows.map((r) => ({
    tokenId: r.id,
    scope: r.scope,
    role: r.role,
    label: r.label,
    createdAt: new Date(r.created_at).toISOString(),
    revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
  }));
}

/** The live token's holder, or undefined (unknown, malformed or revoked: the caller answers 401 for all three). */
export async function authenticateStaff(db: Queryable, token: string): Promise<StaffPrincipal | undefined> {
  const found = await identifyStaff(db, token);
  return found.ok ? found.staff : undefined;
}

/**
 * Like `authenticateStaff`, but says which refusal it was for the audit trail: a revoked token's id is known
 * (its hash is on file); an unknown or malformed token has none, and the token itself is never kept.
 */
export async function identifyStaff(
  db: Queryable,
  token: string | undefined,
): Promise<{ ok: true; staff: StaffPrincipal } | { ok: false; revokedId?: string }> {
  if (!token || !looksLikeStaffToken(token)) return { ok: false };
  const { rows } = await db.query<{ id: string; scope: string; role: StaffRole; label: string; revoked_at: string | Date | null }>(
    'SELECT id, scope, role, label, revoked_at FROM staff_tokens WHERE token_hash = $1',
    [secretHash(token)],
  );
  const row = rows[0];
  if (!row) return { ok: false };
  if (row.revoked_at) return { ok: false, revokedId: row.id };
  return { ok: true, staff: { tokenId: row.id, scope: row.scope, role: row.role, label: row.label } };
}
