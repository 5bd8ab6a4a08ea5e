import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compileErrors, validate } from '@readme/openapi-parser';
import { buildOpenApi, OUTPUT } from '../../scripts/openapi.js';
import { createClient } from '../../src/sdk/index.js';
import { startTestServer } from '../support/reference-server.js';

interface Operation {
  operationId: string;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { required?: string[] }> };
}
interface Route {
  method: string;
  path: string;
}

const committed = JSON.parse(readFileSync(OUTPUT, 'utf8')) as Document;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const documented = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => METHODS.includes(key))
      .map((method) => ({ method: method.toUpperCase(), path, operation: item[method]! })),
  );

/** Hono's `/staff/reports/:code` (or `:code{regex}`) as OpenAPI's `/staff/reports/{code}`. */
const toOpenApiPath = (path: string) =>
  (path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}').replace(/\/+$/, '') || '/');

/** What the running server routes, `/dev/*` included (the test server runs with `dev: true`). */
async function routedByServer(): Promise<Route[]> {
  const server = await startTestServer();
  try {
    return server.app.app.routes.map(({ method, path }) => ({ method, path }));
  } finally {
    await server.close();
  }
}

test('the committed openapi.json is the one the schemas build', () => {
  assert.deepEqual(
    committed,
    JSON.parse(JSON.stringify(buildOpenApi())),
    'openapi.json is stale: run `npm run openapi` and commit the result',
  );
});

test('openapi.json is a valid OpenAPI 3.1 document', async () => {
  assert.equal((committed as unknown as { openapi: string }).openapi, '3.1.0');
  // validate() dereferences in place: give it a copy.
  const result = await validate(structuredClone(committed) as never);
  assert.ok(result.valid, result.valid ? '' : compileErrors(result));
  assert.deepEqual(result.warnings, []);
});

test('every route the server answers is documented, and nothing else', async () => {
  const routes = await routedByServer();
  // `ALL` entries are middleware (logging, CORS); OPTIONS is CORS preflight and tus discovery.
  const endpoints = routes.filter((r) => r.method !== 'ALL' && r.method !== 'OPTIONS');
  assert.ok(endpoints.length >= 12, `expected the server's routes, found ${endpoints.length}`);
  const routed = new Set(endpoints.map((r) => `${r.method} ${toOpenApiPath(r.path)}`));
  const inDocument = new Set(documented(committed).map((o) => `${o.method} ${o.path}`));
  // Hono serves HEAD with GET handlers: the tus HEAD lives on a GET route that answers 404 to a plain GET.
  const missing = [...routed].filter((key) => !inDocument.has(key) && !inDocument.has(key.replace(/^GET /, 'HEAD ')));
  assert.deepEqual(missing, [], 'routed by the server but missing from openapi.json (scripts/openapi.ts)');
  const phantom = [...inDocument].filter((key) => !routed.has(key) && !routed.has(key.replace(/^HEAD /, 'GET ')));
  assert.deepEqual(phantom, [], 'documented in openapi.json but not routed by the server');
});

test('operations carry the SDK method names', () => {
  const ids = new Set(documented(committed).map((o) => o.operation.operationId));
  // uploadAttachment strings several tus operations together; it has no single operation.
  const methods = Object.keys(createClient({ baseUrl: 'http://localhost/' })).filter((k) => k !== 'baseUrl' && k !== 'uploadAttachment');
  assert.ok(methods.length >= 10);
  assert.deepEqual(methods.filter((m) => !ids.has(m)), [], 'SDK methods without an operation of the same operationId');
});

test('request bodies describe what a client may send: defaulted fields are optional', () => {
  const { schemas } = committed.components;
  assert.ok(!schemas.SupplementDraft!.required!.includes('attachmentIds'));
  assert.ok(!schemas.AnonymousReportDraft!.required!.includes('attachmentIds'));
  assert.ok(schemas.SupplementDraft!.required!.includes('text'));
});
