/**
 * An integrator who generates types from openapi.json with openapi-typescript can send README's drafts: the
 * anonymous and real-name drafts of the SDK example, and each of them without any field the SDK's own schema lets
 * a draft leave out (a `default` in the document made such a field required in the generated types).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { ReportDraft } from '../../src/sdk/schemas/report.js';
import { doc } from './document.js';

const readme = readFileSync(path.join(import.meta.dirname, '../../README.md'), 'utf8');

// The names README's drafts use, with values the SDK's schema accepts.
const scope: Record<string, unknown> = { ack1: 'ack-token-1', ack2: 'ack-token-2', phone: '13800000000', smsCode: '123456' };
const evaluate = (source: string) => new Function(...Object.keys(scope), `return (${source});`)(...Object.values(scope)) as Record<string, unknown>;

/** README's drafts (the SDK example's `client.submitReport(…)` calls), as the values they send. */
function readmeDrafts(): Record<string, unknown>[] {
  const facts = /const facts = (\{[\s\S]*?\n\});/.exec(readme)?.[1];
  assert.ok(facts, 'README has the SDK example with `const facts = { … };`');
  scope.facts = evaluate(facts);
  const drafts = [...readme.matchAll(/client\.submitReport\(\s*(\{ mode: [\s\S]*?\})\s*,\s*\{ idempotencyKey/g)].map((m) => evaluate(m[1]!));
  assert.ok(drafts.some((d) => d.mode === 'anonymous') && drafts.some((d) => d.mode === 'real-name'), 'an anonymous and a real-name draft');
  return drafts;
}

test('types generated from openapi.json with openapi-typescript accept README\'s drafts, also without their optional fields', async () => {
  const generated = astToString(await openapiTS(doc as never));
  const drafts: { what: string; source: string }[] = [];
  for (const value of readmeDrafts()) {
    drafts.push({ what: `README's ${value.mode} draft`, source: JSON.stringify(value) });
    if (!ReportDraft.safeParse(value).success) continue; // README's example of a refused draft: only its own shape counts
    for (const key of Object.keys(value)) {
      const { [key]: _, ...without } = value;
      // A field the SDK lets a draft leave out must be optional in the generated types too.
      if (ReportDraft.safeParse(without).success) drafts.push({ what: `${value.mode} without ${key}`, source: JSON.stringify(without) });
    }
  }
  assert.ok(drafts.length >= 3);
  // One module: the generated types, then the drafts typed by them.
  const program = [
    generated,
    "type ReportDraft = components['schemas']['ReportDraft'];",
    ...drafts.map((d, i) => `export const draft${i}: ReportDraft = ${d.source};`),
  ].join('\n');
  const files = new Map([['/contract/drafts.ts', program]]);
  const options: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, types: [], lib: ['lib.es2022.d.ts'] };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (name) => files.get(name) ?? read(name);
  const exists = host.fileExists.bind(host);
  host.fileExists = (name) => files.has(name) || exists(name);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version) =>
    files.has(name) ? ts.createSourceFile(name, files.get(name)!, version) : getSourceFile(name, version);
  const tsProgram = ts.createProgram(['/contract/drafts.ts'], options, host);
  const diagnostics = ts.getPreEmitDiagnostics(tsProgram).map((d) => {
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1;
    // The draft whose declaration starts at or above the line (README's drafts span several lines).
    const draft = program.split('\n').slice(0, line + 1).reverse().map((l) => /^export const draft(\d+)/.exec(l)?.[1]).find((n) => n !== undefined);
    return `${draft !== undefined ? drafts[Number(draft)]!.what : d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
  assert.deepEqual(diagnostics, []);
});
