/** What every section of `npm run bench` gets: its options, where to print, and where its budgets and failures go. */

export const SECTIONS = ['gate', 'flow', 'heap', 'pow', 'map', 'server', 'inbox', 'backfill'] as const;
export type Section = (typeof SECTIONS)[number];

export interface Budget {
  section: string;
  name: string;
  actual: string;
  limit: string;
  ok: boolean;
  source?: string;
}

export const budgetLine = (b: Budget) => `${b.ok ? 'ok  ' : 'OVER'}  ${b.name}: ${b.actual} (budget ${b.limit})`;

export interface SectionRun {
  runs: number;
  only: ReadonlySet<Section>;
  /** The peer pages (../shared/peers by default). */
  peers: string;
  backfillRows?: number;
  /** Progress (stderr by default). */
  log: (line: string) => void;
  /** The tables (stdout by default). */
  out: (line: string) => void;
  /** Every budget judged so far; a broken one makes the bench exit 1. */
  budgets: Budget[];
  /** Failed checks, one line each. */
  failures: string[];
}
