/**
 * Evidence that cannot be tied to its upload (finding 17.6). An attachment's id used to be its tus upload id, which
 * travels in URLs (`PATCH /uploads/<id>`) and so sits in a proxy's access log beside the client address; linked to a
 * report, it tied the report to that address. Now, when a report or supplement takes an attachment, its row moves to a
 * new random id (src/server/uploads/repo.ts `link`), and:
 *
 * - `file`: the name of its encrypted file under `uploads/ready/`, random and never the tus id (NULL: a file an
 *   earlier version named after the id). The finisher names files this way; `cleanup()` renames the files of linked
 *   attachments once their linking day is over (`file_settled`), giving earlier versions' rows a new id too.
 * - `position`: the attachment's place in the report's or supplement's list (the exact times no longer order it).
 * - `created_at`, `finished_at` of linked attachments keep the Beijing date only, like `linked_at` (migration 009),
 *   and `upload_length` (the bytes sent, which a proxy may log) is dropped: this rewrites what earlier versions stored.
 */
const day = (column: string) =>
  `((date_trunc('day', (${column} AT TIME ZONE 'UTC') + interval '8 hours') - interval '8 hours') AT TIME ZONE 'UTC')`;

export default /* sql */ `
ALTER TABLE attachments ADD COLUMN IF NOT EXISTS file text NULL;
ALTER TABLE attachments ADD COLUMN IF NOT EXISTS file_settled boolean NOT NULL DEFAULT false;
ALTER TABLE attachments ADD COLUMN IF NOT EXISTS position integer NULL;
ALTER TABLE attachments ALTER COLUMN upload_length DROP NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS attachments_file_idx ON attachments (file) WHERE file IS NOT NULL;
CREATE INDEX IF NOT EXISTS attachments_unsettled_idx ON attachments (linked_at) WHERE report_id IS NOT NULL AND NOT file_settled;

UPDATE attachments
   SET created_at = ${day('created_at')}, finished_at = ${day('finished_at')}, upload_length = NULL
 WHERE report_id IS NOT NULL;
`;
