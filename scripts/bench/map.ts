/** The map section of `npm run bench`: scripts/bench-map.ts, our region picker against the ECharts peers. */
import type { SectionRun } from './run.js';

export async function mapSection({ runs, peers, log, out, budgets }: SectionRun): Promise<void> {
  log('map: scripts/bench-map.ts');
  const { benchMap, formatMapBench, MAP_LOADS } = await import('../bench-map.js');
  // The map's budgets are medians over at least 15 loads each (issue 20): its draw is short, and one slow frame of a
  // busy machine moves a median of 7.
  const loads = Math.max(runs, MAP_LOADS);
  const result = await benchMap({ runs: loads, peers, log: (line) => log(`map: ${line}`) });
  out(`\nMap (scripts/bench-map.ts: a page with our region picker alone against the ECharts peers, same throttling, medians of ${loads} loads)`);
  out(formatMapBench(result));
  for (const b of result.budgets) budgets.push({ section: 'map', name: b.name, actual: b.actual, limit: b.limit, ok: b.ok });
}
