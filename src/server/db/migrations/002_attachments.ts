/**
 * Finished evidence uploads. Unfinished ones live only in the tus store (files plus `.json` in the data directory)
 * until they finish or expire. The id is the tus upload id. No foreign key to reports: an attachment exists before
 * its report, and `report_id` is set once, inside the report's transaction.
 */
export default /* sql */ `
CREATE TABLE IF NOT EXISTS attachments (
  id            text PRIMARY KEY,
  status        text NOT NULL CHECK (status IN ('ready', 'rejected')),
  mime          text NULL,
  size          bigint NULL,
  sha256        text NULL,
  reason        text NULL CHECK (reason IS NULL OR reason IN ('type', 'size', 'format')),
  upload_length bigint NOT NULL,
  created_at    timestamptz NOT NULL,
  finished_at   timestamptz NOT NULL,
  report_id     text NULL,
  supplement_id text NULL,
  linked_at     timestamptz NULL,
  CHECK (status <> 'ready' OR (mime IS NOT NULL AND size IS NOT NULL AND sha256 IS NOT NULL)),
  CHECK (report_id IS NULL OR status = 'ready')
);
CREATE INDEX IF NOT EXISTS attachments_report_id_idx ON attachments (report_id) WHERE report_id IS NOT NULL;
`;
