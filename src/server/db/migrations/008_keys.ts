/**
 * Key checks and the staff audit of refusals (findings 10, 11).
 *
 * `data_keys`: one row per data key that sealed values here, with a canary sealed under it (`check_enc`), so a
 * start with the wrong key is refused (src/server/keys.ts). `legacy` marks the key that opens `v1.` values from
 * before key ids; `aqjb rotate-key` clears it and retires keys no value uses any more.
 *
 * `staff_audit` records refusals too (`deny`, with the reason): a token outside its province, an unknown code, a
 * bad or revoked token (no token id unless the token was a revoked one; the token itself is never stored), a
 * reporter value that fails its integrity check. A refusal may have no report code (an entry, or no code given).
 */
export default /* sql */ `
CREATE TABLE IF NOT EXISTS data_keys (
  kid        text PRIMARY KEY,
  check_enc  text NOT NULL,
  legacy     boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  retired_at timestamptz NULL
);

ALTER TABLE staff_audit ALTER COLUMN token_id DROP NOT NULL;
ALTER TABLE staff_audit ALTER COLUMN report_code DROP NOT NULL;
ALTER TABLE staff_audit ADD COLUMN IF NOT EXISTS reason text NULL;
ALTER TABLE staff_audit ADD COLUMN IF NOT EXISTS route text NULL;
ALTER TABLE staff_audit DROP CONSTRAINT IF EXISTS staff_audit_action_check;
ALTER TABLE staff_audit ADD CONSTRAINT staff_audit_action_check CHECK (
  (action IN ('enter', 'read') AND reason IS NULL AND token_id IS NOT NULL AND report_code IS NOT NULL)
  OR (action = 'deny' AND reason IN ('token', 'revoked', 'scope', 'unknown', 'unreadable'))
);
`;
