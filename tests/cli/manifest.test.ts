import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { sortManifest, updateReadme } from '../../scripts/docs.js';

test('custom-elements.json is what the analyzer builds from the elements’ JSDoc (run npm run manifest if not)', () => {
  // The analyzer resolves outdir against the working directory, so the check writes under node_modules/.cache.
  mkdirSync('node_modules/.cache', { recursive: true });
  const out = path.relative(process.cwd(), mkdtempSync(path.join('node_modules/.cache', 'aqjb-cem-')));
  try {
    const run = spawnSync(process.execPath, ['node_modules/@custom-elements-manifest/analyzer/cem.js', 'analyze', '--config', 'custom-elements-manifest.config.mjs'], {
      env: { ...process.env, CEM_OUTDIR: out },
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    const fresh = sortManifest(JSON.parse(readFileSync(path.join(out, 'custom-elements.json'), 'utf8')));
    const committed = JSON.parse(readFileSync('custom-elements.json', 'utf8'));
    assert.deepEqual(committed, fresh, 'custom-elements.json is stale: run npm run manifest');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('README’s element tables are generated from custom-elements.json (run npm run manifest if not)', () => {
  const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8'));
  const readme = readFileSync('README.md', 'utf8');
  assert.equal(readme, updateReadme(readme, manifest), 'README element tables are stale: run npm run manifest');
  for (const tag of ['aqjb-intake', 'aqjb-notice-gate', 'aqjb-report-form', 'aqjb-evidence-upload', 'aqjb-region-picker', 'aqjb-progress-lookup']) {
    assert.match(readme, new RegExp(`### \`<${tag}>\``), `${tag} is documented`);
  }
});
