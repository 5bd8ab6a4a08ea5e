/**
 * Beijing calendar dates (Asia/Shanghai: UTC+8, no DST since 1991), the days every deadline, date-only timestamp
 * and daily window of the contract is counted in. Plain arithmetic, no `Intl` and no Node: the server, the SDK and
 * the components read the same day from the same instant.
 */
export const BEIJING_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;

/** The Beijing calendar date (`YYYY-MM-DD`) of an instant. */
export function beijingDate(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${ms}`);
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The instant a Beijing calendar day begins (00:00 UTC+8), as epoch milliseconds: what is stored of a citizen's
 * request. The rules count every deadline from the date of receipt, so a finer time would serve no rule and would
 * let anyone holding the database and a proxy's log pair a report with the request that filed it.
 */
export function startOfBeijingDay(ms: number): number {
  if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${ms}`);
  return Math.floor((ms + BEIJING_OFFSET_MS) / DAY_MS) * DAY_MS - BEIJING_OFFSET_MS;
}

/** The instant a Beijing date (`YYYY-MM-DD`) begins; NaN when it is not such a date. */
export const beijingMidnight = (date: string): number => Date.parse(`${date}T00:00:00+08:00`);
