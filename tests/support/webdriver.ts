/**
 * WebKit for the tests: Debian's WebKitGTK MiniBrowser driven by its W3C WebDriver server (`WebKitWebDriver`, package
 * webkit2gtk-driver) on a private Xvfb display (package xvfb). Playwright's WebKit build is a download and fails here,
 * and WebKitWebDriver speaks classic WebDriver only (no BiDi), so this is a thin client over the W3C endpoints:
 * https://www.w3.org/TR/webdriver2/. It serves the component suite's launcher (tests/support/webkit-launcher.ts) and
 * the end-to-end driver.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const WEBKIT_DRIVER = '/usr/bin/WebKitWebDriver';
export const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** The element reference key of the W3C protocol. */
export const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';
export interface ElementRef {
  [ELEMENT_KEY]: string;
}

/** W3C key codes for the key names the tests use (Playwright's names); anything else is typed as it is. */
const KEYS: Record<string, string> = {
  Backspace: '\uE003', Tab: '\uE004', Enter: '\uE007', Shift: '\uE008', Control: '\uE009', Alt: '\uE00A',
  Escape: '\uE00C', Space: ' ', PageUp: '\uE00E', PageDown: '\uE00F', End: '\uE010', Home: '\uE011',
  ArrowLeft: '\uE012', ArrowUp: '\uE013', ArrowRight: '\uE014', ArrowDown: '\uE015', Delete: '\uE017', Meta: '\uE03D',
};

/** `Shift+Tab` → the key values to hold down in order. */
export const keyValues = (combo: string): string[] =>
  combo === '+' ? ['+'] : combo.split('+').map((k) => KEYS[k] ?? k);

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** Reads the display number Xvfb writes to fd 3 once it accepts clients. */
function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    xvfb.stderr!.on('data', (d) => (err += d));
    xvfb.stdio[3]!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve({ display: `:${out.trim()}`, process: xvfb });
    });
    xvfb.once('error', reject);
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited (${code}): ${err.trim().split('\n').at(-1) ?? ''}`)));
  });
}

export class WebDriverError extends Error {
  constructor(
    readonly error: string,
    message: string,
  ) {
    super(`${error}: ${message}`);
  }
}

/** A running WebKitWebDriver on its own display; `close()` ends both. */
export class WebKitDriverServer {
  private constructor(
    readonly url: string,
    private readonly processes: ChildProcess[],
    private readonly config: string,
  ) {}

  /**
   * `env`: more environment for WebKitWebDriver, which passes it on to MiniBrowser (e.g. `LANGUAGE`/`LANG` for the
   * page's languages and the date fields' format, `TZ` for its time zone).
   */
  static async start({ env = {} }: { env?: Record<string, string> } = {}): Promise<WebKitDriverServer> {
    for (const bin of [WEBKIT_DRIVER, MINIBROWSER]) {
      if (!existsSync(bin)) throw new Error(`${bin} is missing: apt-get install webkit2gtk-driver xvfb`);
    }
    const x = await startXvfb();
    const port = await freePort();
    // MiniBrowser's own toolbar keeps its window at least 447 px wide, wider than a phone: a private GTK theme
    // shrinks the toolbar (not the page: WebKit draws web content and its form controls itself).
    const config = mkdtempSync(path.join(tmpdir(), 'aqjb-webkit-'));
    mkdirSync(path.join(config, 'gtk-3.0'));
    writeFileSync(path.join(config, 'gtk-3.0', 'gtk.css'), '* { font-size: 1px; min-width: 0; min-height: 0; padding: 0; margin: 0; border-width: 0; }\n');
    const driver = spawn(WEBKIT_DRIVER, [`--port=${port}`], {
      stdio: 'ignore',
      env: { ...process.env, ...env, DISPLAY: x.display, XDG_CONFIG_HOME: config },
    });
    const server = new WebKitDriverServer(`http://127.0.0.1:${port}`, [driver, x.process], config);
    const exited = new Promise<never>((_, reject) => driver.once('exit', (c) => reject(new Error(`WebKitWebDriver exited (${c})`))));
    // Ready once /status answers (a few hundred ms); bounded so a broken install fails instead of hanging.
    const ready = (async () => {
      for (let i = 0; i < 300; i++) {
        try {
          if ((await fetch(`${server.url}/status`)).ok) return;
        } catch {
          /* not listening yet */
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('WebKitWebDriver did not answer /status within 30 s');
    })();
    try {
      await Promise.race([ready, exited]);
    } catch (error) {
      await server.close();
      throw error;
    }
    return server;
  }

  /** A new MiniBrowser window: its own session, storage and cookies. */
  async newSession({ pageLoadStrategy = 'normal' }: { pageLoadStrategy?: 'normal' | 'eager' | 'none' } = {}): Promise<WebDriverSession> {
    const { sessionId, capabilities } = await request<{ sessionId: string; capabilities: Record<string, unknown> }>(
      this.url,
      'POST',
      '/session',
      {
        capabilities: {
          alwaysMatch: {
            'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
            pageLoadStrategy,
          },
        },
      },
    );
    return new WebDriverSession(`${this.url}/session/${sessionId}`, String(capabilities.browserVersion ?? ''));
  }

  async close(): Promise<void> {
    for (const p of this.processes) if (p.exitCode === null) p.kill('SIGTERM');
    await Promise.all(this.processes.map((p) => (p.exitCode === null ? new Promise((r) => p.once('exit', r)) : undefined)));
    rmSync(this.config, { recursive: true, force: true });
  }
}

async function request<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(base + path, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json().catch(() => ({}))) as { value?: { error?: string; message?: string } & T };
  if (!response.ok || json.value?.error) throw new WebDriverError(json.value?.error ?? String(response.status), json.value?.message ?? '');
  return json.value as T;
}

/** One browser window. Methods map one to one onto W3C endpoints. */
export class WebDriverSession {
  constructor(
    readonly url: string,
    readonly browserVersion: string,
  ) {}

  command<T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    return request<T>(this.url, method, path, method === 'POST' ? (body ?? {}) : body);
  }

  navigate(url: string) {
    return this.command('POST', '/url', { url });
  }

  currentUrl() {
    return this.command<string>('GET', '/url');
  }

  /** Runs `script` (a function body; `arguments` holds `args`) in the page and returns its JSON-able result. */
  execute<T>(script: string, args: unknown[] = []): Promise<T> {
    return this.command<T>('POST', '/execute/sync', { script, args });
  }

  /** As `execute`, awaiting the promise the body returns. */
  executeAsync<T>(script: string, args: unknown[] = []): Promise<T> {
    const body = `const done = arguments[arguments.length - 1];
      Promise.resolve().then(() => (async function () { ${script} }).apply(null, Array.prototype.slice.call(arguments, 0, -1)))
        .then((v) => done({ ok: v }), (e) => done({ error: String(e && e.stack || e) }));`;
    return this.command<{ ok?: T; error?: string }>('POST', '/execute/async', { script: body, args }).then((r) => {
      if (r.error !== undefined) throw new Error(r.error);
      return r.ok as T;
    });
  }

  async screenshot(element?: ElementRef): Promise<Buffer> {
    const b64 = await this.command<string>('GET', element ? `/element/${element[ELEMENT_KEY]}/screenshot` : '/screenshot');
    return Buffer.from(b64, 'base64');
  }

  /**
   * Sizes the window so that the page's viewport (innerWidth × innerHeight) is `width × height`. GTK applies a new
   * window size asynchronously: each step waits until the page sees a change before it measures again. (Measured
   * too early, a shot's full-page height was still the page's and the next step asked for a negative height.)
   */
  async setViewport(width: number, height: number): Promise<void> {
    const inner = () => this.execute<[number, number]>('return [innerWidth, innerHeight]');
    for (let i = 0, now = await inner(); i < 3; i++) {
      if (now[0] === width && now[1] === height) return;
      const rect = await this.command<{ width: number; height: number }>('GET', '/window/rect');
      const target = { width: Math.round(rect.width + width - now[0]), height: Math.round(rect.height + height - now[1]) };
      if (!(target.width > 0 && target.height > 0)) throw new Error(`setViewport ${width}×${height}: window ${rect.width}×${rect.height}, viewport ${now.join('×')}`);
      await this.command('POST', '/window/rect', target);
      // Polled by round trips, not time: a busy machine gets as many chances as a quiet one.
      const before = now;
      for (let polls = 0; polls < 200 && now[0] === before[0] && now[1] === before[1]; polls++) now = await inner();
    }
  }

  /** Presses each key combination in turn (`Tab`, `Shift+Tab`, `a`), or types text when `type` is set. */
  async keys(combos: string[], { type = false } = {}): Promise<void> {
    const actions: { type: string; value: string }[] = [];
    for (const combo of combos) {
      const values = type ? [...combo] : [keyValues(combo)];
      for (const v of values) {
        const held = Array.isArray(v) ? v : [v];
        for (const k of held) actions.push({ type: 'keyDown', value: k });
        for (const k of [...held].reverse()) actions.push({ type: 'keyUp', value: k });
      }
    }
    await this.command('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
    await this.command('DELETE', '/actions');
  }

  /** Pointer actions at viewport coordinates (CSS pixels). */
  async pointer(steps: ({ type: 'move'; x: number; y: number } | { type: 'down' | 'up'; button?: number })[]): Promise<void> {
    const actions = steps.map((s) =>
      s.type === 'move'
        ? { type: 'pointerMove', x: Math.round(s.x), y: Math.round(s.y), origin: 'viewport', duration: 0 }
        : { type: s.type === 'down' ? 'pointerDown' : 'pointerUp', button: s.button ?? 0 },
    );
    await this.command('POST', '/actions', { actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions }] });
  }

  close(): Promise<unknown> {
    return this.command('DELETE', '').catch(() => undefined);
  }
}
