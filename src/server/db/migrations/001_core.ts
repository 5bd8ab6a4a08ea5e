/**
 * Everything that must hold across several server instances lives here, not in process memory: notice receipts,
 * idempotency keys, SMS codes, rate limits. Reporter fields are stored only encrypted (`reporter_enc`), query keys
 * and tokens only as hashes.
 */
export default /* sql */ `
CREATE TABLE IF NOT EXISTS notice_receipts (
  id text PRIMARY KEY,
  created_at timestamptz NOT NULL,
  readable_at timestamptz NOT NULL,
  ack_hash text UNIQUE,
  ack_expires_at timestamptz,
  consumed_at timestamptz
);

CREATE TABLE IF NOT EXISTS reports (
  code text PRIMARY KEY,
  query_key_hash text NOT NULL,
  mode text NOT NULL CHECK (mode IN ('anonymous', 'real-name')),
  channel text NOT NULL DEFAULT 'web',
  region_code text NOT NULL,
  handling_region text NOT NULL,
  handling_org text NOT NULL,
  status text NOT NULL,
  resume_status text,
  subject_name text NOT NULL,
  subject_address text NOT NULL,
  industry text NOT NULL,
  problem_types jsonb NOT NULL,
  description text NOT NULL,
  occurred_at text,
  reporter_enc text,
  submitted_at timestamptz NOT NULL,
  accept_due text NOT NULL,
  accept_estimated boolean NOT NULL,
  decided_at timestamptz,
  verify_due text,
  verify_estimated boolean NOT NULL DEFAULT false,
  extension_days integer NOT NULL DEFAULT 0,
  supplement_request text,
  closed_at timestamptz
);
CREATE INDEX IF NOT EXISTS reports_handling_region ON reports (handling_region);

CREATE TABLE IF NOT EXISTS report_events (
  report_code text NOT NULL REFERENCES reports (code),
  seq integer NOT NULL,
  type text NOT NULL,
  at timestamptz NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (report_code, seq)
);

CREATE TABLE IF NOT EXISTS supplements (
  id text PRIMARY KEY,
  report_code text NOT NULL REFERENCES reports (code),
  text text NOT NULL,
  attachment_ids jsonb NOT NULL,
  received_at timestamptz NOT NULL
);

-- The stored answer contains the query key, so it is kept encrypted, like reporter fields.
CREATE TABLE IF NOT EXISTS idempotency_keys (
  key text PRIMARY KEY,
  request_hash text NOT NULL,
  report_code text,
  response_enc text,
  created_at timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS sms_codes (
  phone_hash text PRIMARY KEY,
  code_hash text NOT NULL,
  sent_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS rate_limits (
  bucket text NOT NULL,
  window_start timestamptz NOT NULL,
  count integer NOT NULL,
  PRIMARY KEY (bucket, window_start)
);

-- --dev only: the SMS messages that would have been sent (phone encrypted).
CREATE TABLE IF NOT EXISTS dev_outbox (
  id bigserial PRIMARY KEY,
  phone_enc text NOT NULL,
  code text NOT NULL,
  sent_at timestamptz NOT NULL
);
`;
