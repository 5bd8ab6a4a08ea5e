/**
 * Staff entry of reports that arrived elsewhere (letter, visit, fax, phone, a provincial legacy system).
 * Tokens are stored only as hashes with the region they are scoped to; revoking keeps the row for the audit trail.
 * `external_ids` makes entry idempotent per token scope: the same external id twice is the same national report.
 */
export default /* sql */ `
CREATE TABLE IF NOT EXISTS staff_tokens (
  id          text PRIMARY KEY,
  token_hash  text NOT NULL UNIQUE,
  scope       text NOT NULL,
  label       text NOT NULL,
  created_at  timestamptz NOT NULL,
  revoked_at  timestamptz NULL
);

-- The stored answer contains the query key, so it is kept encrypted, like the citizen path's idempotency keys.
CREATE TABLE IF NOT EXISTS external_ids (
  scope        text NOT NULL,
  external_id  text NOT NULL,
  request_hash text NOT NULL,
  report_code  text NULL REFERENCES reports (code),
  response_enc text NULL,
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (scope, external_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS external_ids_report_code ON external_ids (report_code) WHERE report_code IS NOT NULL;

-- Who entered or read which report, and when: reporter data is for the handling staff only.
CREATE TABLE IF NOT EXISTS staff_audit (
  id          bigserial PRIMARY KEY,
  token_id    text NOT NULL REFERENCES staff_tokens (id),
  action      text NOT NULL CHECK (action IN ('enter', 'read')),
  report_code text NOT NULL,
  at          timestamptz NOT NULL
);
`;
