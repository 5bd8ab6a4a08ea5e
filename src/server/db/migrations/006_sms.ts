/**
 * SMS codes (finding 7). A code answers only to the notice token that asked for it (`ack_hash`, a hash), so nobody
 * else can spend its tries. `day` (Beijing date) and `day_count` carry the per-phone daily cap in the same row as the
 * cooldown, so one conditional upsert enforces both. `notice_receipts.sms_sent` counts the codes one confirmed notice
 * has asked for. A used code keeps its row (emptied) until its day is over, so using it does not reset the count.
 */
export default /* sql */ `
ALTER TABLE sms_codes ADD COLUMN IF NOT EXISTS ack_hash text;
ALTER TABLE sms_codes ADD COLUMN IF NOT EXISTS day text;
ALTER TABLE sms_codes ADD COLUMN IF NOT EXISTS day_count integer NOT NULL DEFAULT 0;
ALTER TABLE notice_receipts ADD COLUMN IF NOT EXISTS sms_sent integer NOT NULL DEFAULT 0;
`;
