/**
 * `npm run demo`: builds the browser bundle, starts the reference server (PGlite in .data/demo, --dev) and serves
 * demo/ beside it with the strict Content-Security-Policy a portal would use. Prints the URL to open.
 *   PORT (8000) demo pages · API_PORT (8080) reference API · HOST (127.0.0.1)
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { root, startDemo } from './demo-server.js';

if (!process.argv.includes('--no-build')) {
  const build = spawnSync('npm', ['run', '--silent', 'build:browser'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const demo = await startDemo({
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 8000),
  apiPort: Number(process.env.API_PORT ?? 8080),
  dataDir: path.join(root, '.data', 'demo'),
});
process.stdout.write(`\n  aqjb-embed demo:   ${demo.url}\n`);
process.stdout.write(`  reference API:     ${demo.apiBase}  (PGlite in .data/demo, --dev)\n`);
process.stdout.write(`  move a report:     npm run handle -- accept <举报编码>\n\n`);

const stop = () => void demo.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
