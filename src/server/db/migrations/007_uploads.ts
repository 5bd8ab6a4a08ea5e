/**
 * Upload quotas and encrypted evidence (findings 17.5, 17.6).
 *
 * `upload_reservations`: one row per unfinished upload, holding the length it declared (counted against the disk
 * quota until it finishes, is withdrawn or expires) and its file key, sealed under the data key with the context
 * `upload_reservations.file_key_enc:<id>`. No client address, no time finer than the expiry: nothing here ties an
 * upload to who sent it.
 *
 * `attachments.file_key_enc`: the key a finished file is sealed under (`attachments.file_key_enc:<id>`). NULL only
 * for files stored before encryption, which `cleanup()` seals (src/server/uploads/seal-legacy.ts).
 */
export default /* sql */ `
ALTER TABLE attachments ADD COLUMN IF NOT EXISTS file_key_enc text NULL;
CREATE INDEX IF NOT EXISTS attachments_unlinked_idx ON attachments (finished_at) WHERE report_id IS NULL;

CREATE TABLE IF NOT EXISTS upload_reservations (
  id            text PRIMARY KEY,
  upload_length bigint NOT NULL CHECK (upload_length >= 0),
  file_key_enc  text NOT NULL,
  expires_at    timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS upload_reservations_expires_idx ON upload_reservations (expires_at);
`;
