/** The map section of `npm run bench`: scripts/bench-map.ts, our region picker against the ECharts peers. */
import type { SectionRun } from './run.js';

export async function mapSection({ runs, peers, log, out, budgets }: SectionRun): Promise<void> {
  log('map: scripts/bench-map.ts');
  const { benchMap, formatMapBench } = await import('../bench-map.js');
  const result = await benchMap({ runs, peers, log: (line) => log(`map: ${line}`) });
  out('\nMap (scripts/bench-map.ts: our region picker against the ECharts peers, same throttling)');
  out(formatMapBench(result));
  for (const b of result.budgets) budgets.push({ section: 'map', name: b.name, actual: b.actual, limit: b.limit, ok: b.ok });
}
