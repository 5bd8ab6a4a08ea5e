/**
 * The Henan demo page, mounted by the demo command beside the other demo pages:
 *   pages.route('/legacy', createHenanDemoPages({ apiBase, legacyBase }))
 * serves /legacy/henan.html (API bases filled in), /legacy/henan.js (the page's script) and
 * /legacy/henan-bundle.js (transition client + Henan adapter, bundled with esbuild on first request).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Hono } from 'hono';

const here = path.dirname(new URL(import.meta.url).pathname);

let bundle: Promise<string> | undefined;

/** esbuild (tsx's own dependency) bundles the entry once per process: the page then needs no build step. */
export function buildHenanBundle(): Promise<string> {
  bundle ??= (async () => {
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: [path.join(here, 'henan-entry.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      write: false,
      conditions: ['production'],
      legalComments: 'none',
    });
    return result.outputFiles[0]!.text;
  })();
  return bundle;
}

export function createHenanDemoPages({ apiBase, legacyBase }: { apiBase: string; legacyBase: string }) {
  const app = new Hono();
  app.get('/henan.html', async (c) => {
    const html = await readFile(path.join(here, 'henan.html'), 'utf8');
    return c.html(html.replaceAll('%API_BASE%', apiBase).replaceAll('%LEGACY_BASE%', legacyBase));
  });
  app.get('/henan.js', async (c) => c.body(await readFile(path.join(here, 'henan.js'), 'utf8'), 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));
  app.get('/henan-bundle.js', async (c) => c.body(await buildHenanBundle(), 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));
  return app;
}
