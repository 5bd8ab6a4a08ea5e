/**
 * `npm run demo`: builds the browser bundle, starts the reference server (PGlite in .data/demo, --dev) and serves
 * demo/ beside it with the strict Content-Security-Policy a portal would use. Prints the URL to open.
 *   PORT (8000) demo pages · API_PORT (8080) reference API · HOST (127.0.0.1)
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { startServer } from '../src/server/index.js';
import { jsonLogger } from '../src/server/log.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 8000);
const apiPort = Number(process.env.API_PORT ?? 8080);

if (!process.argv.includes('--no-build')) {
  const build = spawnSync('npm', ['run', '--silent', 'build:browser'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const pageOrigins = [`http://${host}:${port}`, `http://localhost:${port}`, `http://127.0.0.1:${port}`];
const api = await startServer({
  port: apiPort,
  hostname: host,
  dataDir: path.join(root, '.data', 'demo'),
  dev: true,
  allowOrigins: pageOrigins,
  logger: process.env.AQJB_LOG ? jsonLogger() : () => {},
});
const apiBase = api.url.replace('127.0.0.1', host === '0.0.0.0' ? '127.0.0.1' : host);
const apiOrigin = new URL(apiBase).origin;

/** Strict CSP: nothing inline, no eval, the API origin only. */
export const demoCsp = (apiOrigins: string[]) =>
  [
    "default-src 'self'",
    `connect-src 'self' ${apiOrigins.join(' ')}`,
    "img-src 'self' blob: data:",
    "media-src 'self' blob:",
    "style-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join('; ');

const csp = demoCsp([apiOrigin, apiOrigin.replace('127.0.0.1', 'localhost')]);
const pages = new Hono();
pages.use('*', async (c, next) => {
  await next();
  c.header('Content-Security-Policy', csp);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
});
/** SRI hashes from dist/manifest.json, as a portal would paste them. */
const integrity = (file: string): string => {
  const manifest = JSON.parse(readFileSync(path.join(root, 'dist', 'manifest.json'), 'utf8')) as { files: { file: string; integrity: string }[] };
  return manifest.files.find((f) => f.file === file)?.integrity ?? '';
};

// HTML pages learn the API base from a meta tag filled in here (no inline script under the CSP).
pages.get('/', (c) => c.redirect('/index.html'));
pages.get('/:page{[a-z-]+\\.html}', async (c) => {
  const file = path.join(root, 'demo', c.req.param('page'));
  const html = await readFile(file, 'utf8').catch(() => undefined);
  if (html === undefined) return c.notFound();
  return c.html(html.replaceAll('%API_BASE%', apiBase).replace(/%SRI:([\w.-]+)%/g, (_, file: string) => integrity(file)));
});
pages.use('/dist/*', serveStatic({ root: path.relative(process.cwd(), root) || '.' }));
pages.use('/*', serveStatic({ root: path.relative(process.cwd(), path.join(root, 'demo')) || 'demo' }));

const server = serve({ fetch: pages.fetch, port, hostname: host }, () => {
  process.stdout.write(`\n  aqjb-embed demo:   http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/\n`);
  process.stdout.write(`  reference API:     ${apiBase}  (PGlite in .data/demo, --dev)\n`);
  process.stdout.write(`  move a report:     npm run handle -- accept <举报编码>\n\n`);
});

const stop = () => {
  server.close();
  void api.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
