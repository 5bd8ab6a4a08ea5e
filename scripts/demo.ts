/**
 * `npm run demo`: builds the browser bundle, starts the reference server (PGlite in .data/demo, --dev) and the
 * Henan legacy system of the two-year transition (records in .data/demo-legacy), and serves demo/ beside them with
 * the strict Content-Security-Policy a portal would use. Prints the URLs to open and a Henan staff token for the
 * backfill demo.
 *   PORT (8000) demo pages · API_PORT (8080) reference API · LEGACY_PORT (8090) Henan legacy system · HOST (127.0.0.1)
 *   ALLOW_ORIGINS: your own pages' origins (e.g. `http://localhost:3000`, space or comma separated) that may call the
 *   API, for trying the configurator's snippet on a page of your own.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { root, startDemo } from './demo-server.js';
import { createStaffToken } from '../src/server/staff/index.js';

if (!process.argv.includes('--no-build')) {
  const build = spawnSync('npm', ['run', '--silent', 'build:browser'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const demo = await startDemo({
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 8000),
  apiPort: Number(process.env.API_PORT ?? 8080),
  legacyPort: Number(process.env.LEGACY_PORT ?? 8090),
  allowOrigins: (process.env.ALLOW_ORIGINS ?? '').split(/[\s,]+/).filter(Boolean),
  dataDir: path.join(root, '.data', 'demo'),
  legacyDataDir: path.join(root, '.data', 'demo-legacy'),
});
// A fresh token per run: the database keeps only hashes, so an earlier run's token cannot be shown again.
const { token } = await createStaffToken(demo.api.sql, { scope: '410000', role: 'handler', label: 'demo' });

process.stdout.write(`\n  aqjb-embed demo:   ${demo.url}\n`);
process.stdout.write(`  reference API:     ${demo.apiBase}  (PGlite in .data/demo, --dev)\n`);
process.stdout.write(`  Henan transition:  ${new URL('legacy/henan.html', demo.url).href}\n`);
process.stdout.write(`  Henan legacy API:  ${demo.legacyBase}  (records in .data/demo-legacy)\n`);
process.stdout.write(`  Henan staff token: ${token}  (province 410000, role handler, for this demo only)\n`);
process.stdout.write(`  move a report:     AQJB_STAFF_TOKEN=${token} npm run handle -- accept <举报编码> --api ${demo.apiBase}\n`);
process.stdout.write(`  backfill:          curl -o export.csv "${demo.legacyBase}hnjb/api/jubao/daochu?geshi=csv"\n`);
process.stdout.write(
  `                     AQJB_STAFF_TOKEN=${token} npm run backfill -- --from export.csv --api ${demo.apiBase} --adapter demo/legacy/henan-adapter.ts\n\n`,
);

const stop = () => void demo.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
