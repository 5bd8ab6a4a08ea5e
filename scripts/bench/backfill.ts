/** The backfill section of `npm run bench`: `benchBackfill` from scripts/backfill.ts (2,000 rows by default). */
import type { SectionRun } from './run.js';

export async function backfillSection({ backfillRows, log, out, failures }: SectionRun): Promise<void> {
  const { benchBackfill } = await import('../backfill.js');
  out('\nBackfill (benchBackfill from scripts/backfill.ts)');
  const rows = backfillRows ?? 2000;
  log(`backfill: ${rows} rows`);
  const result = await benchBackfill({ rows, out: { write: (s: string) => (out(s.trimEnd()), true) } });
  if (result.failed) failures.push(`backfill: ${result.failed} of ${rows} rows failed`);
}
