import type { Locale } from './localize.js';
import { beijingMidnight, startOfBeijingDay } from '../../sdk/beijing-date.js';

/** Dates as citizens read them: 2026年3月5日 / Mar 5, 2026. `date` is YYYY-MM-DD or ISO. */
export function formatDate(locale: Locale, date: string): string {
  const value = new Date(/^\d{4}-\d{2}-\d{2}$/.test(date) ? beijingMidnight(date) : date);
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'Asia/Shanghai' }).format(value);
}

/**
 * When a step of a report happened. The server keeps only the date of the citizen's own steps (filing, supplement),
 * as the instant that Beijing day begins: that is shown as a date, not as a misleading 00:00.
 */
export function formatEventTime(locale: Locale, iso: string): string {
  const ms = Date.parse(iso);
  return startOfBeijingDay(ms) === ms ? formatDate(locale, iso) : formatDateTime(locale, iso);
}

export function formatDateTime(locale: Locale, iso: string): string {
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Asia/Shanghai',
  }).format(new Date(iso));
}
