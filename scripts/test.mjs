#!/usr/bin/env node
// Runs every test: Node's test runner (SDK Node path, server, CLIs, end-to-end flows) and @web/test-runner (browser
// code) in Chromium, Firefox ESR and WebKitGTK (AQJB_ENGINES=chromium,firefox,webkit picks some). Installs what is
// missing with apt-get (the three engines, Xvfb, CJK fonts, PostgreSQL) and starts a
// throwaway PostgreSQL cluster on a loopback port for the storage suite. Ends with one line "N passed, N failed".
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';

// The one PostgreSQL launcher (shared with the server bench) is TypeScript; this file stays plain Node.
/** @type {typeof import('./support/postgres.ts')} */
const { pgBinDir, startThrowawayPostgres } = await tsImport('./support/postgres.ts', import.meta.url);

const args = new Set(process.argv.slice(2));
const runNode = !args.has('--browser');
const runBrowser = !args.has('--node');
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
process.chdir(root);

function sh(cmd, cmdArgs, opts = {}) {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', ...opts });
  return r.status ?? 1;
}

function aptInstall(packages) {
  if (process.getuid?.() !== 0) {
    console.error(`Missing ${packages.join(', ')}: install with sudo apt-get install -y ${packages.join(' ')}`);
    process.exit(1);
  }
  console.log(`Installing ${packages.join(', ')} with apt-get…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (sh('apt-get', ['update', '-qq'], { env }) !== 0 || sh('apt-get', ['install', '-y', '-qq', ...packages], { env }) !== 0) {
    console.error(`apt-get could not install ${packages.join(', ')}`);
    process.exit(1);
  }
}

/** @type {typeof import('../tests/support/engines.ts')} */
const { FIREFOX_PATH, engines } = await tsImport('../tests/support/engines.ts', import.meta.url);
// The browser suite and the end-to-end tests (Node side) run in three engines: Debian's Chromium, Firefox ESR, and
// WebKitGTK (WebKitWebDriver on a private Xvfb display). Each binary checked, its package installed when missing.
const ENGINE_PACKAGES = [
  [process.env.CHROME_PATH || '/usr/bin/chromium', 'chromium'],
  [FIREFOX_PATH, 'firefox-esr'],
  ['/usr/bin/WebKitWebDriver', 'webkit2gtk-driver'],
  ['/usr/bin/Xvfb', 'xvfb'],
  // Without a CJK font every Chinese character in a screenshot is a box.
  ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', 'fonts-noto-cjk'],
];
/** The engines to test in (AQJB_ENGINES), for the runner and e2e alike. */
const ENGINES = engines();
const missing = [];
if (runBrowser || (runNode && existsSync('tests/e2e'))) {
  for (const [bin, pkg] of ENGINE_PACKAGES) if (!existsSync(bin)) missing.push(pkg);
}
if (runNode && !pgBinDir()) missing.push('postgresql');
if (missing.length) aptInstall(missing);

let passed = 0;
let failed = 0;
let exitCode = 0;

// The end-to-end tests run against the built bundle, as a portal would load it.
if (runNode && existsSync('tests/e2e') && sh('npm', ['run', '--silent', 'build:browser']) !== 0) process.exit(1);

if (runNode) {
  // Many test files at once, each with its own databases; durability does not matter for a throwaway cluster.
  const pg = await startThrowawayPostgres({ settings: ['max_connections=200', 'fsync=off'] });
  try {
    const files = ['tests/sdk', 'tests/server', 'tests/contract', 'tests/cli', 'tests/e2e']
      .filter((d) => existsSync(d))
      .flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.test.ts')).map((f) => path.join(d, f)))
      .sort();
    const report = path.join(mkdtempSync(path.join(tmpdir(), 'aqjb-tap-')), 'node.tap');
    const code = await new Promise((resolve) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${report}`, ...files],
        // The demo geometry is checked against a fresh pipeline build (its source packages come from the npm registry).
        { stdio: 'inherit', env: { AQJB_GEOMETRY_CHECK: 'fetch', ...process.env, AQJB_TEST_DATABASE_URL: pg.url } },
      );
      child.on('exit', (c) => resolve(c ?? 1));
    });
    const tap = existsSync(report) ? readFileSync(report, 'utf8') : '';
    passed += Number(/^# pass (\d+)/m.exec(tap)?.[1] ?? 0);
    failed += Number(/^# fail (\d+)/m.exec(tap)?.[1] ?? 0) + Number(/^# cancelled (\d+)/m.exec(tap)?.[1] ?? 0);
    if (code !== 0) exitCode = 1;
  } finally {
    pg.stop();
  }
}

if (runBrowser) {
  // One runner per engine, one after another: each gets its own reference server and clock. In one runner the
  // engines run side by side against one server, and a test that moves the server's clock in one engine moves it
  // under a test of another (on 2 cores running them side by side saves little anyway).
  for (const engine of ENGINES) {
    console.log(`\n@web/test-runner in ${engine}`);
    const counts = path.join(mkdtempSync(path.join(tmpdir(), 'aqjb-wtr-')), 'counts.json');
    const code = sh(process.execPath, ['--import', 'tsx', 'node_modules/@web/test-runner/dist/bin.js', '--config', 'web-test-runner.config.mjs'], {
      env: { ...process.env, AQJB_WTR_COUNTS: counts, AQJB_ENGINES: engine },
    });
    if (existsSync(counts)) {
      const c = JSON.parse(readFileSync(counts, 'utf8'));
      passed += c.passed;
      failed += c.failed;
    } else failed += 1;
    if (code !== 0) exitCode = 1;
  }
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(exitCode || (failed ? 1 : 0));
