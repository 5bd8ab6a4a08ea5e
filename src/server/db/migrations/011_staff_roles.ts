/**
 * Staff handling (#19.2). A token is scoped to any division (province, prefecture or county: 属地管理、分级负责)
 * and carries a role:
 * - `handler`: the bureau's handling staff: the inbox, single reads with the reporter, handling actions, entry;
 * - `backfill`: a province's server entering letters, visits, faxes and legacy records, and checking them;
 * - `read-only`: the inbox and single reads, without the reporter (supervision, 督办).
 * Tokens issued before roles existed entered and read reports for a legacy backfill: they become `backfill`, the
 * least that keeps them working (a reporter's name and phone now need a `handler` token).
 *
 * Each handling step in a report's history records the token that took it (`actor`, never shown to citizens), and
 * `staff_audit` gains the steps (`act`), each inbox request (`list`, no codes), and the refusals of a role (`role`)
 * and of a step the flow does not allow (`refused`). The inbox gets its running deadline and indexes.
 */
export default /* sql */ `
ALTER TABLE staff_tokens ADD COLUMN IF NOT EXISTS role text NOT NULL DEFAULT 'backfill';
ALTER TABLE staff_tokens DROP CONSTRAINT IF EXISTS staff_tokens_role_check;
ALTER TABLE staff_tokens ADD CONSTRAINT staff_tokens_role_check CHECK (role IN ('handler', 'backfill', 'read-only'));
ALTER TABLE staff_tokens ALTER COLUMN role DROP DEFAULT;

ALTER TABLE report_events ADD COLUMN IF NOT EXISTS actor text NULL;

ALTER TABLE staff_audit DROP CONSTRAINT IF EXISTS staff_audit_action_check;
ALTER TABLE staff_audit ADD CONSTRAINT staff_audit_action_check CHECK (
  (action IN ('enter', 'read', 'act') AND reason IS NULL AND token_id IS NOT NULL AND report_code IS NOT NULL)
  OR (action = 'list' AND reason IS NULL AND token_id IS NOT NULL AND report_code IS NULL)
  OR (action = 'deny' AND reason IN ('token', 'revoked', 'scope', 'unknown', 'unreadable', 'role', 'refused'))
);

-- The deadline running now (acceptance until decided, then verification until closed), written once here: the
-- inbox's 督办 filters and counts read it, and a column is far cheaper to scan than the expression per row.
ALTER TABLE reports ADD COLUMN IF NOT EXISTS running_due text GENERATED ALWAYS AS (
  CASE WHEN status = 'submitted' THEN accept_due
       WHEN status IN ('accepted', 'transferred', 'verifying', 'extended', 'supplement-requested') THEN verify_due END
) STORED;

-- The inbox, newest first, paged by (submitted_at, code): a county's through its handling region, a city's or a
-- province's (most rows) by walking the received order and testing the region. Its counts read only the covering
-- index (an index-only scan: a few MB for 100,000 reports instead of the whole table).
CREATE INDEX IF NOT EXISTS reports_inbox ON reports (handling_region, submitted_at DESC, code DESC);
CREATE INDEX IF NOT EXISTS reports_received ON reports (submitted_at DESC, code DESC);
CREATE INDEX IF NOT EXISTS reports_inbox_counts ON reports (handling_region, status, running_due, submitted_at);
`;
