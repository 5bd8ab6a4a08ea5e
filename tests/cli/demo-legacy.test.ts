import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo, type RunningDemo } from '../../scripts/demo-server.js';
import { createServer, type AddressInfo } from 'node:net';

let demo: RunningDemo;
before(async () => {
  demo = await startDemo({ port: 0 });
});
after(() => demo?.close());

const connectSrc = (csp: string) => csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('connect-src '))?.split(/\s+/).slice(1) ?? [];

test('the Henan transition page is served under the strict CSP, with the legacy origin allowed to connect', async () => {
  const response = await fetch(new URL('legacy/henan.html', demo.url));
  assert.equal(response.status, 200);
  const csp = response.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  const allowed = connectSrc(csp);
  assert.ok(allowed.includes(new URL(demo.legacyBase).origin), `connect-src lacks the legacy origin: ${csp}`);
  assert.ok(allowed.includes(new URL(demo.apiBase).origin), `connect-src lacks the API origin: ${csp}`);
  const html = await response.text();
  assert.ok(html.includes(`content="${demo.legacyBase}"`), 'the page names the running legacy server');
  assert.ok(html.includes(`content="${demo.apiBase}"`), 'the page names the running reference server');
  assert.doesNotMatch(html, /%(API|LEGACY)_BASE%/);
});

test('the page script is served, and the legacy source beside it is not', async () => {
  const script = await fetch(new URL('legacy/henan.js', demo.url));
  assert.equal(script.status, 200);
  assert.match(script.headers.get('content-type') ?? '', /javascript/);
  await script.arrayBuffer();
  const source = await fetch(new URL('legacy/server.ts', demo.url));
  assert.equal(source.status, 404);
  await source.arrayBuffer();
});

test('the demo index links to the Henan transition page', async () => {
  const html = await (await fetch(new URL('index.html', demo.url))).text();
  assert.match(html, /href="\/legacy\/henan\.html"/);
});

test('the legacy server answers in its own dialect, and lets the demo page call it', async () => {
  const lookup = await fetch(new URL('hnjb/api/jubao/chaxun', demo.legacyBase), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ jubaoBianhao: 'HN20260302000001', chaxunMa: '000000' }),
  });
  assert.equal(lookup.status, 200);
  assert.deepEqual(await lookup.json(), { fanhuiMa: '2001', fanhuiXinxi: '举报编号或查询码错误' });

  const pageOrigin = new URL(demo.url).origin;
  const preflight = await fetch(new URL('hnjb/api/jubao/tijiao', demo.legacyBase), {
    method: 'OPTIONS',
    headers: { Origin: pageOrigin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-laiyuan-bianhao' },
  });
  assert.equal(preflight.headers.get('access-control-allow-origin'), pageOrigin);
  await preflight.arrayBuffer();
});

test('closing the demo stops the legacy server too', async () => {
  const other = await startDemo({ port: 0 });
  const legacyBase = other.legacyBase;
  await other.close();
  await assert.rejects(fetch(new URL('hnjb/api/jubao/daochu', legacyBase)));
});

test('a page asked for while the demo is still starting gets a 503, and the demo then starts and serves it', async () => {
  // A port known before the demo listens, so the request can be made from inside its start-up (the API front runs
  // after the pages listen and before their routes exist). On the old order this request crashed the start.
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  const during: { status: number; retryAfter: string | null; text: string }[] = [];
  const other = await startDemo({
    port,
    apiFront: async (url) => {
      const response = await fetch(`http://127.0.0.1:${port}/henan.html`);
      during.push({ status: response.status, retryAfter: response.headers.get('retry-after'), text: await response.text() });
      return url;
    },
  });
  try {
    assert.equal(during.length, 1);
    assert.equal(during[0]!.status, 503);
    assert.equal(during[0]!.retryAfter, '1');
    assert.match(during[0]!.text, /演示正在启动/);
    const page = await fetch(new URL('henan.html', other.url));
    assert.equal(page.status, 200);
    assert.match(await page.text(), /aqjb-intake/);
  } finally {
    await other.close();
  }
});
