/**
 * Coarse times for citizens' requests (finding 6). Only the Beijing date of a web report, of a supplement and of
 * linking its evidence is kept, stored as the instant that day begins (00:00 UTC+8): every deadline counts from the
 * date of receipt, and a finer time, beside a proxy's access log, would tie a report to the request that filed it.
 * A used notice receipt is deleted instead of marked. This rewrites what earlier versions stored. Staff-entered
 * reports keep the time staff gave (when a letter or visit arrived), which no client address goes with.
 * The expression works on the UTC wall clock, so it does not depend on the session's TimeZone.
 */
const day = (column: string) =>
  `((date_trunc('day', (${column} AT TIME ZONE 'UTC') + interval '8 hours') - interval '8 hours') AT TIME ZONE 'UTC')`;

export default /* sql */ `
UPDATE reports SET submitted_at = ${day('submitted_at')} WHERE channel = 'web';

UPDATE report_events e SET at = ${day('e.at')}
  FROM reports r
 WHERE e.report_code = r.code AND ((e.type = 'submitted' AND r.channel = 'web') OR e.type = 'supplement-received');

UPDATE supplements SET received_at = ${day('received_at')};

UPDATE attachments SET linked_at = ${day('linked_at')} WHERE linked_at IS NOT NULL;

UPDATE idempotency_keys SET created_at = ${day('created_at')};

DELETE FROM notice_receipts WHERE consumed_at IS NOT NULL;
`;
