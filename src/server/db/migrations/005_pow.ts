/**
 * Proof-of-work challenges (finding 2): one per notice receipt, deleted when a confirmation presents a solution (so a
 * solution is single use across instances), or when it expires. `client_bucket` (the day-salted hash of the client's
 * address) only serves the cap on open receipts per client and leaves with the row. `pow_load` counts receipts per
 * window, per client bucket and in total (`*`), to price the next challenge; no receipt is named in it.
 */
export default /* sql */ `
CREATE TABLE IF NOT EXISTS pow_challenges (
  receipt_id text PRIMARY KEY REFERENCES notice_receipts (id) ON DELETE CASCADE,
  challenge jsonb NOT NULL,
  client_bucket text NOT NULL,
  counts_until timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS pow_challenges_open ON pow_challenges (client_bucket, counts_until);
CREATE INDEX IF NOT EXISTS pow_challenges_expiry ON pow_challenges (expires_at);

CREATE TABLE IF NOT EXISTS pow_load (
  scope text NOT NULL,
  window_start timestamptz NOT NULL,
  opened integer NOT NULL,
  PRIMARY KEY (scope, window_start)
);
`;
