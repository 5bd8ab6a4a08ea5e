// Browser tests in Chromium, Firefox ESR and WebKitGTK (AQJB_ENGINES picks; `npm test` runs one engine per runner,
// one after another, so that no two engines share this server and its clock) against the real reference server, started here in-process on an
// ephemeral port with a manual clock. Tests reach it through `window.__AQJB__` and move its clock through the
// dev server's `/__aqjb/clock` middleware (test harness only; the product has no such route).
import { writeFileSync } from 'node:fs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { chromeLauncher, puppeteerCore } from '@web/test-runner-chrome';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { startTestServer } from './tests/support/reference-server.ts';
import { webkitLauncher } from './tests/support/webkit-launcher.ts';
import { FIREFOX_PATH, FIREFOX_PREFS, engines } from './tests/support/engines.ts';
import { TIME_BUDGETS } from './tests/support/time-budgets.ts';

const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// One launcher per engine; which run: tests/support/engines.ts (AQJB_ENGINES).
const launchers = {
  chromium: () => playwrightLauncher({ product: 'chromium', launchOptions: { executablePath, headless: true, args } }),
  // Debian's Firefox ESR over WebDriver BiDi, through the puppeteer-core the runner already uses for Chrome.
  firefox: () =>
    chromeLauncher({
      puppeteer: puppeteerCore,
      launchOptions: { browser: 'firefox', executablePath: FIREFOX_PATH, headless: true, extraPrefsFirefox: FIREFOX_PREFS },
    }),
  // Debian's WebKitGTK (Safari's engine) through WebKitWebDriver on a private Xvfb display.
  webkit: () => webkitLauncher(),
};
const chosen = engines();

const server = await startTestServer({ allowOrigins: ['*'] });
process.on('exit', () => void server.close());

/** Counts for scripts/test.mjs's closing line. */
function countsReporter() {
  return {
    onTestRunFinished({ sessions }) {
      let passed = 0;
      let failed = 0;
      const walk = (suite) => {
        for (const t of suite?.tests ?? []) if (!t.skipped) t.passed ? passed++ : failed++;
        for (const s of suite?.suites ?? []) walk(s);
      };
      for (const s of sessions) {
        const before = failed;
        walk(s.testResults);
        // A file that failed to load (or errored outside a test) counts as one failure.
        if (!s.passed && failed === before) failed++;
      }
      if (process.env.AQJB_WTR_COUNTS) writeFileSync(process.env.AQJB_WTR_COUNTS, JSON.stringify({ passed, failed }));
    },
  };
}

export default {
  files: ['tests/browser/**/*.test.ts', 'tests/components/**/*.test.ts'],
  nodeResolve: { exportConditions: ['development'] },
  concurrency: 1,
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' })],
  middleware: [
    async (ctx, next) => {
      if (ctx.path === '/__aqjb/clock') {
        const ms = Number(ctx.query.advance ?? 0);
        server.clock.advance(ms);
        ctx.body = { now: server.clock.now() };
        return;
      }
      await next();
      // Test pages run without 'unsafe-eval', so anything that evaluates strings (zod's JIT probe) is reported.
      // The runner's own bootstrap is inline, so inline scripts stay allowed here; the demo's CSP forbids them too.
      if (ctx.response.is('html')) ctx.set('Content-Security-Policy', "script-src 'self' 'unsafe-inline'");
    },
  ],
  testRunnerHtml: (testFramework) => `<!doctype html><html><head>
    <script>
      window.__AQJB__ = ${JSON.stringify({ api: server.url })};
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
    </script>
    </head><body><script type="module" src="${testFramework}"></script></body></html>`,
  browsers: chosen.map((engine) => launchers[engine]()),
  reporters: [defaultReporter(), summaryReporter(), countsReporter()],
  // Every bound is in tests/support/time-budgets.ts, measured there on this machine under load: a wait fails first
  // (with its message), then the test, then the file; the runner's default of 120 s for a file was missed with three
  // engines on a busy machine.
  testFramework: { config: { timeout: TIME_BUDGETS.testMs } },
  browserStartTimeout: TIME_BUDGETS.browserStartMs,
  testsStartTimeout: TIME_BUDGETS.testsStartMs,
  testsFinishTimeout: TIME_BUDGETS.testsFinishMs,
};
