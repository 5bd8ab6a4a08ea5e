/**
 * Working-day deadlines of the 安全生产举报系统 operations manual (《安全生产举报系统操作手册》, 工作要求).
 *
 * Node only. Every function is pure: callers pass instants (`now`, `receivedAt`, …) as epoch milliseconds, and
 * dates are Beijing calendar dates (Asia/Shanghai, UTC+8, no DST since 1991) written `YYYY-MM-DD`.
 *
 * Period counting follows the usual Chinese rule (民法典 第二百零一条): the day on which a period starts is not
 * counted, counting begins the next day. So "3个工作日内决定是否受理" is the 3rd working day after the day of
 * receipt, and "自受理之日起60个工作日" is the 60th working day after the day of acceptance.
 *
 * Working days come from chinese-days (China's official holidays and 调休 make-up working days). We read the
 * package's published data file (`chinese-days/dist/chinese-days.json`, documented in its README) and apply the
 * package's own rule to it, instead of calling `cd.isWorkday()`: chinese-days 1.5.7 parses `YYYY-MM-DD` as UTC
 * midnight but reads it back with local-time getters, both for its table keys and for the weekday. In a process
 * whose time zone is behind UTC (e.g. TZ=America/Los_Angeles) its answers are shifted by a day (a make-up
 * Sunday reported as a rest day, an ordinary Monday reported as a rest day, …). Our date arithmetic is pure UTC
 * day numbers, so results do not depend on the server's TZ.
 */
import { createRequire } from 'node:module';
import { LIMITS } from '../sdk/schemas/limits.js';
import { beijingDate, DAY_MS } from '../sdk/beijing-date.js';

// The one Beijing-date module (browser-safe, shared with the SDK and the components); re-exported for the server.
export { BEIJING_OFFSET_MS, beijingDate, startOfBeijingDay } from '../sdk/beijing-date.js';

/** 工作要求 一：「……接受社会公众提交和上级部门分转的举报事项，并在3个工作日内决定是否受理。」 */
export const ACCEPT_WORKING_DAYS = 3;

/** 工作要求 四：「举报事项核查结果应自受理之日起60个工作日内录入举报系统。」 */
export const VERIFY_WORKING_DAYS = 60;

/**
 * 工作要求 四：「情况复杂的，经本级应急管理部门负责人批准，可在系统中向上级部门发起延期申请，适当延长核查处理
 * 时间。延长期限不得超过30日。」 — calendar days (not 工作日), added to the verification deadline. The contract's
 * constant, which the handling action's schema and its message read too.
 */
export const MAX_EXTENSION_DAYS = LIMITS.extensionDays;

/** Shape of chinese-days/dist/chinese-days.json: date → "English name,中文名,holiday id". */
interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
  inLieuDays: Record<string, string>;
}

// chinese-days is CommonJS and has no `exports` map, so its data file can be required directly (createRequire
// avoids Node 20's experimental-JSON-module warning).
const calendar = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;
const holidays = new Set(Object.keys(calendar.holidays));
const makeUpWorkdays = new Set(Object.keys(calendar.workdays));

// Covered years, derived from the data rather than typed in: every year's State Council notice gives at least
// 元旦, so a year is known exactly when it has a holiday entry. The range is [min year, max year] over the
// `holidays` keys (2004–2026 in chinese-days 1.5.7). Outside it, chinese-days silently falls back to the plain
// Monday–Friday rule, and so do we, flagging results as `estimated`.
// Caveat: a year's notice sometimes moves days at the end of the previous December (2006-12-30/31 and
// 2007-12-29 became working days, 2018-12-29 too), so the last days of the last covered year can still change
// when the next notice is published.
const coveredYears = Object.keys(calendar.holidays).map((d) => Number(d.slice(0, 4)));
if (coveredYears.length === 0) throw new Error('chinese-days: holiday data is empty');
const FIRST_COVERED_YEAR = Math.min(...coveredYears);
const LAST_COVERED_YEAR = Math.max(...coveredYears);

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` → days since 1970-01-01 (UTC). Throws on anything that is not a real calendar date. */
function toDayNumber(date: string): number {
  const m = DATE_RE.exec(date);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const ms = Date.UTC(y, mo - 1, d);
    // Date.UTC maps years 0–99 to 1900–1999; the round trip below rejects those as well as 2025-02-30.
    if (fromDayNumber(ms / DAY_MS) === date) return ms / DAY_MS;
  }
  throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
}

function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

function coversYear(year: number): boolean {
  return year >= FIRST_COVERED_YEAR && year <= LAST_COVERED_YEAR;
}

/** Same rule as chinese-days' `isWorkday`: a make-up working day, or Monday–Friday that is not a holiday. */
function isWorkingDayNumber(day: number): boolean {
  const date = fromDayNumber(day);
  if (makeUpWorkdays.has(date)) return true;
  const weekday = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  return weekday >= 1 && weekday <= 5 && !holidays.has(date);
}

function assertInteger(name: string, n: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${n}`);
  }
}

/**
 * Whether chinese-days knows the official schedule for the year of `date` (see the coverage comment above:
 * derived from the package data, 2004–2026 for chinese-days 1.5.7).
 */
export function calendarCovers(date: string): boolean {
  return coversYear(yearOf(toDayNumber(date)));
}

/** Whether `date` is a working day (工作日) in China's official calendar; weekday rule outside covered years. */
export function isWorkingDay(date: string): boolean {
  return isWorkingDayNumber(toDayNumber(date));
}

/**
 * The n-th working day after `start` (n ≥ 1; `start` itself is never counted, whether or not it is a working
 * day). `estimated` is true when any day stepped over, from the day after `start` up to the result, lies in a
 * year the calendar does not cover, i.e. the plain weekday rule was used for it.
 */
export function addWorkingDays(start: string, n: number): { date: string; estimated: boolean } {
  assertInteger('n', n, 1);
  let day = toDayNumber(start);
  let estimated = false;
  for (let left = n; left > 0; ) {
    day += 1;
    if (!coversYear(yearOf(day))) estimated = true;
    if (isWorkingDayNumber(day)) left -= 1;
  }
  return { date: fromDayNumber(day), estimated };
}

/** `date` plus n calendar days (n may be zero or negative). */
export function addCalendarDays(date: string, n: number): string {
  assertInteger('n', n, Number.MIN_SAFE_INTEGER);
  return fromDayNumber(toDayNumber(date) + n);
}

/**
 * Signed count of working days between two dates, for "还剩 N 个工作日" with `left = workingDaysBetween(today, due)`:
 * - from ≤ to: the number of working days d with from < d ≤ to (so 0 when from = to);
 * - from > to: minus the number of working days d with to < d ≤ from (antisymmetric: f(a, b) = −f(b, a)).
 * So left = 0 means "due today" — but also "overdue by rest days only" (due Friday, today Saturday gives 0).
 * Test overdue with `today > due` (`YYYY-MM-DD` strings compare correctly), not with the sign of `left`.
 */
export function workingDaysBetween(from: string, to: string): number {
  const a = toDayNumber(from);
  const b = toDayNumber(to);
  const [lo, hi, sign] = a <= b ? [a, b, 1] : [b, a, -1];
  let count = 0;
  for (let day = lo + 1; day <= hi; day++) if (isWorkingDayNumber(day)) count++;
  return count === 0 ? 0 : sign * count; // never -0
}

/** 受理 deadline: the 3rd working day after the Beijing date of receipt (工作要求 一、二). */
export function acceptanceDue(receivedAt: number): { due: string; estimated: boolean } {
  const { date, estimated } = addWorkingDays(beijingDate(receivedAt), ACCEPT_WORKING_DAYS);
  return { due: date, estimated };
}

/**
 * 核查 deadline: the 60th working day after the Beijing date of acceptance, plus an approved extension of
 * 0–30 calendar days (工作要求 四). The extension is plain calendar days, so it may land on a holiday or weekend
 * and is not moved. `estimated` comes from the working-day part only; calendar days need no holiday data.
 */
export function verificationDue(acceptedAt: number, extensionDays = 0): { due: string; estimated: boolean } {
  assertInteger('extensionDays', extensionDays, 0, MAX_EXTENSION_DAYS);
  const { date, estimated } = addWorkingDays(beijingDate(acceptedAt), VERIFY_WORKING_DAYS);
  return { due: addCalendarDays(date, extensionDays), estimated };
}
