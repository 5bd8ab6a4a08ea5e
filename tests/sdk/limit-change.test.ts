import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = new URL('../..', import.meta.url).pathname;

/**
 * Runs in a copy of the repository whose only edit is one limit: it reports what the server, the document, the
 * form's hint and both catalogues then say. Everything is read through the copy's own modules, in a fresh process.
 */
const probe = `
import { anonymousDraft, readNotice, startTestServer } from './tests/support/reference-server.ts';
import { buildOpenApi } from './scripts/openapi.ts';
import zhForm from './src/components/locales/zh-CN/form.ts';
import enForm from './src/components/locales/en/form.ts';
import { errorMessages } from './src/messages/zh-CN.ts';
import { errorMessagesEn } from './src/messages/en.ts';
import { LIMITS } from './src/sdk/schemas/limits.ts';

const max = LIMITS.descriptionMax;
const server = await startTestServer();
try {
  const ackToken = await readNotice(server);
  const post = async (length: number) => {
    const response = await fetch(new URL('reports', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
      body: JSON.stringify(anonymousDraft(ackToken, { description: '罐'.repeat(length) })),
    });
    const body = await response.json();
    return { status: response.status, fields: (body.error?.fields ?? []).map((f: { path: string; code: string }) => f.path + ':' + f.code) };
  };
  const over = await post(max + 1);
  const at = await post(max);
  // Every maxLength the document gives a property named "description" (the draft's, the entry's, …).
  const documented = new Set<number>();
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'description' && value && typeof value === 'object' && 'maxLength' in value) documented.add(value.maxLength as number);
      walk(value);
    }
  };
  walk(buildOpenApi());
  console.log(JSON.stringify({
    over, at, documented: [...documented],
    hints: [zhForm.descriptionHint(LIMITS.descriptionMin, max), enForm.descriptionHint(LIMITS.descriptionMin, max)],
    messages: [errorMessages['description.tooLong'], errorMessagesEn['description.tooLong']],
  }));
} finally {
  await server.close();
}
`;

test('changing one limit in the contract changes the server, the document, the form hint and both languages, with no other edit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aqjb-limit-'));
  try {
    for (const path of ['src', 'scripts', 'tests/support']) cpSync(join(root, path), join(dir, path), { recursive: true });
    for (const file of ['package.json', 'tsconfig.json']) cpSync(join(root, file), join(dir, file));
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));

    const limits = join(dir, 'src/sdk/schemas/limits.ts');
    const source = readFileSync(limits, 'utf8');
    const original = Number(/descriptionMax: (\d+),/.exec(source)![1]);
    const changed = original - 766;
    writeFileSync(limits, source.replace(`descriptionMax: ${original},`, `descriptionMax: ${changed},`));
    writeFileSync(join(dir, 'probe.ts'), probe);

    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'probe.ts'], { cwd: dir, timeout: 120_000 });
    const seen = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      over: { status: number; fields: string[] };
      at: { status: number };
      documented: number[];
      hints: string[];
      messages: string[];
    };

    assert.equal(seen.over.status, 400, 'one character over the new limit is refused');
    assert.deepEqual(seen.over.fields, ['description:description.tooLong']);
    assert.equal(seen.at.status, 201, 'exactly the new limit is accepted');
    assert.ok(seen.documented.length > 0 && seen.documented.every((n) => n === changed), `openapi.json says ${seen.documented}`);
    for (const text of [...seen.hints, ...seen.messages]) {
      assert.match(text, new RegExp(`(?<!\\d)${changed}(?!\\d)`), text);
      assert.doesNotMatch(text, new RegExp(`(?<!\\d)${original}(?!\\d)`), text);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
