/**
 * Client-address buckets (findings 1, 6, 8): rate-limit buckets of client addresses are hashed under a random salt
 * per Beijing day, shared by every instance through this table and deleted once the day is over, so old
 * `rate_limits` rows cannot be tied to an address even with the data key.
 */
export default /* sql */ `
CREATE TABLE IF NOT EXISTS rate_limit_salts (
  day text PRIMARY KEY,
  salt text NOT NULL
);
`;
