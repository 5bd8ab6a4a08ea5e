/**
 * One driver for the three engines citizens use, so each end-to-end flow is written once:
 * - chromium: Debian's Chromium through playwright-core;
 * - firefox: Debian's Firefox ESR through puppeteer-core over WebDriver BiDi (Playwright's Firefox is a download);
 * - webkit: Debian's WebKitGTK MiniBrowser through WebKitWebDriver (tests/support/webdriver.ts), classic W3C WebDriver.
 *
 * Elements are addressed by a `Target`: a chain of steps, each a CSS selector searched inside the previous match and
 * every open shadow root nested in it, resolved in the page by one script all three engines run. The citizen's actions
 * are real input events of each engine (Playwright click/fill, puppeteer click/type, WebDriver element click/send keys
 * and actions), never `el.click()` from a script.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser as PwBrowser, type BrowserContext as PwContext, type ElementHandle as PwElement, type Page as PwPage } from 'playwright-core';
import { PNG } from 'pngjs';
import puppeteer, { type Browser as PpBrowser, type BrowserContext as PpContext, type ElementHandle as PpElement, type Page as PpPage } from 'puppeteer-core';
import { ELEMENT_KEY, WebKitDriverServer, type ElementRef, type WebDriverSession } from '../../support/webdriver.js';

import { ENGINES, FIREFOX_PATH, FIREFOX_PREFS, engines, type Engine } from '../../support/engines.js';

export { ENGINES, engines, type Engine };

/** Flags from shared/TOOLCHAIN.md: without the background-networking ones Chromium floods the log. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** One step of a target: a CSS selector, optionally kept to the matches whose text (or a descendant's) is `text`. */
export type Step = string | { css: string; text: string; exact?: boolean; /** compare this descendant's text */ in?: string };
export type Target = readonly Step[];

/**
 * Resolves a target in the page: every match of the last step, in document order. Plain ES2017, as a string, so
 * that Playwright, puppeteer and WebDriver `execute` all run the same code.
 */
const RESOLVE = `function resolveTarget(chain) {
  function deep(scope, css) {
    var out = [];
    var roots = [scope];
    while (roots.length) {
      var r = roots.shift();
      var all = r.querySelectorAll('*');
      if (r.shadowRoot) roots.push(r.shadowRoot);
      for (var i = 0; i < all.length; i++) {
        if (all[i].matches(css)) out.push(all[i]);
        if (all[i].shadowRoot) roots.push(all[i].shadowRoot);
      }
    }
    return out;
  }
  function textOf(el) { return (el.textContent || '').replace(/\\s+/g, ' ').trim(); }
  var scopes = [document];
  for (var s = 0; s < chain.length; s++) {
    var step = typeof chain[s] === 'string' ? { css: chain[s] } : chain[s];
    var next = [];
    for (var k = 0; k < scopes.length; k++) {
      var found = deep(scopes[k], step.css);
      for (var f = 0; f < found.length; f++) {
        var el = found[f];
        if (next.indexOf(el) >= 0) continue;
        if (step.text !== undefined) {
          var holder = step.in ? el.querySelector(step.in) : el;
          var text = holder ? textOf(holder) : '';
          if (step.exact ? text !== step.text : text.indexOf(step.text) < 0) continue;
        }
        next.push(el);
      }
    }
    scopes = next;
    if (!scopes.length) break;
  }
  return scopes;
}`;

/** True when the element takes space on screen and nothing on its way up hides it. */
const VISIBLE = `function isVisible(el) {
  if (!el || !el.isConnected) return false;
  var r = el.getBoundingClientRect();
  if (r.width === 0 && r.height === 0) return false;
  var style = getComputedStyle(el);
  return style.visibility !== 'hidden' && style.display !== 'none';
}`;

/** `(function (…) { … })(args…)` as an expression; args as JSON. */
const call = (fn: string, ...args: unknown[]) => `(${fn})(${args.map((a) => JSON.stringify(a) ?? 'undefined').join(', ')})`;
const firstOf = (target: Target) => `${call(RESOLVE, target)}[0] || null`;
const describe = (target: Target) => target.map((s) => (typeof s === 'string' ? s : `${s.css}${s.in ? ` ${s.in}` : ''}(${s.exact ? '=' : '~'}${s.text})`)).join(' » ');

export interface FileSpec {
  name: string;
  mimeType: string;
  buffer: Uint8Array;
}

export interface ShotTarget {
  /** The whole page, not only the viewport. */
  full?: boolean;
  /** One element. */
  target?: Target;
  /** A rectangle of the page (CSS px from its top left), beyond the viewport too. */
  clip?: { x: number; y: number; width: number; height: number };
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/** Polls `check` until it returns something truthy; fails with `what` (never a timing assertion: only a ceiling). */
export async function until<T>(check: () => Promise<T> | T, what: string, timeoutMs = 20_000): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as Truthy<T>;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : String(last)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What every engine's page does; targets are resolved (and waited for) on each call. */
export abstract class Page {
  abstract readonly engine: Engine;
  abstract goto(url: string): Promise<void>;
  abstract reload(): Promise<void>;
  /** Evaluates a JavaScript expression in the page (a promise is awaited); the result must be JSON-able. */
  protected abstract run<T>(expression: string): Promise<T>;
  /** Presses a key or a combination (`Tab`, `Shift+Tab`, `Enter`, `Space`, `ArrowDown`). */
  abstract press(key: string): Promise<void>;
  /** Types text with key events into whatever has focus. */
  abstract type(text: string): Promise<void>;
  protected abstract clickVisible(target: Target): Promise<void>;
  protected abstract fillVisible(target: Target, text: string): Promise<void>;
  protected abstract selectVisible(target: Target, value: string): Promise<void>;
  protected abstract filesVisible(target: Target, files: FileSpec[]): Promise<void>;
  protected abstract shoot(file: string, what: ShotTarget): Promise<Buffer>;
  abstract close(): Promise<void>;

  /** Runs `fn` (a self-contained function) in the page with JSON-able `args`; its promise is awaited. */
  evaluate<T, A extends unknown[]>(fn: (...args: A) => T | Promise<T>, ...args: A): Promise<T> {
    // tsx compiles with keepNames: inner named functions call its `__name` helper, which the page lacks.
    return this.run<T>(`(function () { var __name = function (f) { return f; }; return ${call(fn.toString(), ...args)}; })()`);
  }

  /** Runs `fn` in the page on the target's first match (waited for), with JSON-able `args` (lone surrogates kept). */
  async evaluateOn<T, A extends unknown[]>(target: Target, fn: (el: Element, ...args: A) => T | Promise<T>, ...args: A): Promise<T> {
    await until(() => this.count(target), describe(target));
    const rest = args.map((a) => `, ${JSON.stringify(a) ?? 'undefined'}`).join('');
    return this.run<T>(`(function () { var __name = function (f) { return f; }; return (${fn.toString()})(${firstOf(target)}${rest}); })()`);
  }

  /** How many elements match (no wait). */
  count(target: Target): Promise<number> {
    return this.run<number>(`${call(RESOLVE, target)}.length`);
  }

  isVisible(target: Target): Promise<boolean> {
    return this.run<boolean>(`(${VISIBLE})(${firstOf(target)})`);
  }

  /** Waits until the target is on screen. */
  async waitFor(target: Target, what = describe(target)): Promise<void> {
    await until(() => this.isVisible(target), what);
  }

  /** The target's text (`textContent`, whitespace collapsed, trimmed); waits for it to exist. */
  text(target: Target): Promise<string> {
    return until(
      () => this.run<string | null>(`(function (el) { return el ? (el.textContent || '').replace(/\\s+/g, ' ').trim() || ' ' : null; })(${firstOf(target)})`),
      describe(target),
    ).then((t) => t.trim());
  }

  /** The rendered text (`innerText`: hidden parts left out, line breaks kept). */
  innerText(target: Target): Promise<string> {
    return until(() => this.run<string | null>(`(function (el) { return el ? el.innerText + ' ' : null; })(${firstOf(target)})`), describe(target)).then((t) =>
      t.slice(0, -1),
    );
  }

  /** An attribute of the first match, or null (no wait: an absent element answers null too). */
  attr(target: Target, name: string): Promise<string | null> {
    return this.run<string | null>(`(function (el) { return el ? el.getAttribute(${JSON.stringify(name)}) : null; })(${firstOf(target)})`);
  }

  /** A form control's value; waits for it to exist. */
  async value(target: Target): Promise<string> {
    return (await until(() => this.run<string | null>(`(function (el) { return el ? [el.value] : null; })(${firstOf(target)})`), describe(target)))[0]!;
  }

  checked(target: Target): Promise<boolean> {
    return this.run<boolean>(`!!(${firstOf(target)} || {}).checked`);
  }

  /** Clicks the target with the engine's pointer, once it is on screen (retried while something covers it). */
  async click(target: Target): Promise<void> {
    await this.#act(target, () => this.clickVisible(target));
  }

  /** Replaces a text control's value by typing (Playwright: `fill`). */
  async fill(target: Target, text: string): Promise<void> {
    await this.#act(target, () => this.fillVisible(target, text));
  }

  /** Ticks a check box or radio by clicking it, unless it already is. */
  async check(target: Target): Promise<void> {
    await this.#act(target, async () => {
      if (!(await this.checked(target))) await this.clickVisible(target);
      if (!(await this.checked(target))) throw new Error(`${describe(target)} did not become checked`);
    });
  }

  /** Chooses the option with `value` in a `<select>`. */
  async select(target: Target, value: string): Promise<void> {
    await this.#act(target, () => this.selectVisible(target, value));
  }

  /**
   * Picks files in an `<input type=file>`, as the file chooser would. Firefox and WebKit pick them from disk, so a
   * name must be one a file system can hold (no `/`).
   */
  async setFiles(target: Target, files: FileSpec | FileSpec[]): Promise<void> {
    await until(() => this.count(target), describe(target));
    await this.filesVisible(target, Array.isArray(files) ? files : [files]);
  }

  /** A PNG of the viewport, the whole page or one element, written to `file`. */
  screenshot(file: string, what: ShotTarget = {}): Promise<Buffer> {
    return this.shoot(file, what);
  }

  /** The page's fake timers (installed by the harness's page clock, see harness.ts) jump forward. */
  async advanceClock(ms: number): Promise<void> {
    const ok = await this.run<boolean>(`!!(window.__aqjbClock && (window.__aqjbClock.jump(${ms}), true))`);
    if (!ok) throw new Error('the page has no harness clock (was it served by startE2E?)');
  }

  async #act(target: Target, action: () => Promise<void>): Promise<void> {
    let lastError: unknown;
    await until(
      async () => {
        if (!(await this.isVisible(target))) return false;
        try {
          await action();
          return true;
        } catch (error) {
          lastError = error;
          return false;
        }
      },
      `${describe(target)} to act on`,
    ).catch((error: Error) => {
      throw lastError instanceof Error ? new Error(`${error.message}; ${lastError.message}`) : error;
    });
  }
}

/** A rectangle of a screenshot (WebDriver classic shoots the viewport or an element, never a rectangle). */
function crop(png: Buffer, { x, y, width, height }: NonNullable<ShotTarget['clip']>): Buffer {
  const src = PNG.sync.read(png);
  const [w, h] = [Math.min(Math.round(width), src.width - x), Math.min(Math.round(height), src.height - y)];
  const out = new PNG({ width: w, height: h });
  PNG.bitblt(src, out, Math.round(x), Math.round(y), w, h, 0, 0);
  return PNG.sync.write(out);
}

/** Writes each file under its own name in a folder of its own (names may repeat); returns their paths. */
function onDisk(under: string, files: FileSpec[]): string[] {
  return files.map((file) => {
    if (file.name.includes('/')) throw new Error(`${JSON.stringify(file.name)}: no file system holds a name with '/'`);
    const at = path.join(mkdtempSync(path.join(under, 'pick-')), file.name);
    writeFileSync(at, file.buffer);
    return at;
  });
}

/** The element handle a Playwright or puppeteer page resolves a target to. */
async function handleOf<H>(evaluateHandle: (expression: string) => Promise<{ asElement(): unknown }>, target: Target): Promise<H> {
  const element = (await evaluateHandle(firstOf(target))).asElement();
  if (!element) throw new Error(`${describe(target)} not found`);
  return element as H;
}

class ChromiumPage extends Page {
  readonly engine = 'chromium';
  constructor(
    readonly context: PwContext,
    /** Playwright's page, for the few tests that need a Chromium-only capability (they say so in their names). */
    readonly native: PwPage,
  ) {
    super();
  }
  async goto(url: string) {
    await this.native.goto(url);
  }
  async reload() {
    await this.native.reload();
  }
  protected run<T>(expression: string) {
    return this.native.evaluate<T>(expression);
  }
  press(key: string) {
    return this.native.keyboard.press(key === 'Space' ? ' ' : key);
  }
  type(text: string) {
    return this.native.keyboard.type(text);
  }
  #handle(target: Target) {
    return handleOf<PwElement>((e) => this.native.evaluateHandle(e), target);
  }
  protected async clickVisible(target: Target) {
    await (await this.#handle(target)).click({ timeout: 2_000 });
  }
  protected async fillVisible(target: Target, text: string) {
    await (await this.#handle(target)).fill(text, { timeout: 2_000 });
  }
  protected async selectVisible(target: Target, value: string) {
    await (await this.#handle(target)).selectOption(value, { timeout: 2_000 });
  }
  protected async filesVisible(target: Target, files: FileSpec[]) {
    await (await this.#handle(target)).setInputFiles(files.map((file) => ({ name: file.name, mimeType: file.mimeType, buffer: Buffer.from(file.buffer) })));
  }
  protected async shoot(file: string, { full, target, clip }: ShotTarget) {
    if (target) return (await this.#handle(target)).screenshot({ path: file, animations: 'disabled' });
    return this.native.screenshot({ path: file, fullPage: full ?? Boolean(clip), clip, animations: 'disabled' });
  }
  close() {
    return this.context.close().catch(() => {});
  }
}

class FirefoxPage extends Page {
  readonly engine = 'firefox';
  constructor(
    private readonly context: PpContext,
    private readonly page: PpPage,
    private readonly files: string,
  ) {
    super();
  }
  async goto(url: string) {
    await this.page.goto(url);
  }
  async reload() {
    await this.page.reload();
  }
  protected run<T>(expression: string) {
    return this.page.evaluate(expression) as Promise<T>;
  }
  async press(key: string) {
    const keys = key === '+' ? ['+'] : key.split('+').map((k) => (k === 'Space' ? ' ' : k));
    for (const k of keys.slice(0, -1)) await this.page.keyboard.down(k as never);
    await this.page.keyboard.press(keys.at(-1) as never);
    for (const k of keys.slice(0, -1).reverse()) await this.page.keyboard.up(k as never);
  }
  type(text: string) {
    return this.page.keyboard.type(text);
  }
  #handle(target: Target) {
    return handleOf<PpElement<Element>>((e) => this.page.evaluateHandle(e), target);
  }
  protected async clickVisible(target: Target) {
    await (await this.#handle(target)).click();
  }
  protected async fillVisible(target: Target, text: string) {
    const el = await this.#handle(target);
    // Focus and select what is there, so the typed text replaces it, as a person selecting all would.
    const type = await el.evaluate((e) => {
      (e as HTMLInputElement).focus();
      (e as HTMLInputElement).select?.();
      return (e as HTMLInputElement).type;
    });
    if (type === 'date') return this.#typeDate(el, text);
    if (await el.evaluate((e) => (e as HTMLInputElement).value !== '')) await this.page.keyboard.press('Backspace');
    if (text) await this.page.keyboard.type(text);
  }
  /**
   * Firefox's date field takes its digits segment by segment, separators implied, in the order of the browser's
   * regional format: month-day-year (en-US, what these headless builds use) tried first, then year-month-day (zh-CN).
   */
  async #typeDate(el: PpElement<Element>, iso: string) {
    const [y, m, d] = iso.split('-');
    for (const digits of [`${m}${d}${y}`, `${y}${m}${d}`]) {
      await el.evaluate((e) => ((e as HTMLInputElement).value = '', (e as HTMLInputElement).focus()));
      await this.page.keyboard.type(digits);
      if ((await el.evaluate((e) => (e as HTMLInputElement).value)) === iso) return;
    }
    // With a zh_CN regional format the year comes first, and Firefox's year field (years up to 275760) does not move
    // on after four digits, nor on '/', Tab or an arrow key sent over BiDi (tried): the value is set as the form reads
    // it, through the property and an input event, and the field left. The other engines' dates are typed.
    await el.evaluate((e, v) => {
      const input = e as HTMLInputElement;
      input.focus();
      input.value = v;
      input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }, iso);
    if ((await el.evaluate((e) => (e as HTMLInputElement).value)) === iso) return;
    throw new Error(`the date field did not take ${iso}`);
  }
  protected async selectVisible(target: Target, value: string) {
    await (await this.#handle(target)).select(value);
  }
  protected async filesVisible(target: Target, files: FileSpec[]) {
    // BiDi's input.setFiles takes paths: each file is written under its own name first.
    await ((await this.#handle(target)) as PpElement<HTMLInputElement>).uploadFile(...onDisk(this.files, files));
  }
  protected async shoot(file: string, { full, target, clip }: ShotTarget) {
    if (target) return Buffer.from(await (await this.#handle(target)).screenshot({ path: file as `${string}.png` }));
    return Buffer.from(await this.page.screenshot({ path: file as `${string}.png`, fullPage: full ?? false, clip }));
  }
  close() {
    return this.context.close().catch(() => {});
  }
}

class WebKitPage extends Page {
  readonly engine = 'webkit';
  constructor(
    readonly session: WebDriverSession,
    private readonly viewport: { width: number; height: number },
    private readonly files: string,
  ) {
    super();
  }
  async goto(url: string) {
    await this.session.navigate(url);
  }
  async reload() {
    await this.session.command('POST', '/refresh');
  }
  protected run<T>(expression: string) {
    return this.session.executeAsync<T>(`return ${expression};`);
  }
  press(key: string) {
    return this.session.keys([key]);
  }
  type(text: string) {
    return this.session.keys([text], { type: true });
  }
  async #element(target: Target): Promise<string> {
    const ref = await this.session.execute<ElementRef | null>(`return ${firstOf(target)};`);
    if (!ref) throw new Error(`${describe(target)} not found`);
    return ref[ELEMENT_KEY];
  }
  protected async clickVisible(target: Target) {
    await this.session.command('POST', `/element/${await this.#element(target)}/click`);
  }
  protected async fillVisible(target: Target, text: string) {
    const id = await this.#element(target);
    if ((await this.run<string>(`(${firstOf(target)}).type`)) === 'date') return this.#typeDate(target, id, text);
    // Selected and deleted by key, as a person does: WebDriver's Element Clear fires no `input` event in WebKit, so a
    // field emptied by it kept filtering by its old text.
    if (await this.run<boolean>(`(function (e) { e.focus(); if (e.select) e.select(); return e.value !== ''; })(${firstOf(target)})`)) {
      await this.session.keys(['Backspace']);
    }
    if (text) await this.session.command('POST', `/element/${id}/value`, { text });
  }
  /**
   * WebKit's date field is segmented (month/day/year in en-US, what MiniBrowser runs in here): typed with the
   * separators, in the field's order (digits alone stay in the first segment).
   */
  async #typeDate(target: Target, id: string, iso: string) {
    const [y, m, d] = iso.split('-');
    for (const digits of [`${m}/${d}/${y}`, `${y}/${m}/${d}`]) {
      await this.run(`(function (e) { e.value = ''; e.blur(); })(${firstOf(target)})`);
      await this.session.command('POST', `/element/${id}/value`, { text: digits });
      if ((await this.value(target)) === iso) return;
    }
    throw new Error(`the date field did not take ${iso}`);
  }
  protected async selectVisible(target: Target, value: string) {
    // WebDriver selects an option by clicking it (§12.4.1 Element Click, option case).
    await this.clickVisible([...target, `option[value="${value}"]`]);
    if ((await this.value(target)) !== value) throw new Error(`${describe(target)} did not take ${value}`);
  }
  protected async filesVisible(target: Target, files: FileSpec[]) {
    // Send Keys to a file input sets its files from the paths, one a line (§12.5.3), with the input's own change event.
    await this.session.command('POST', `/element/${await this.#element(target)}/value`, { text: onDisk(this.files, files).join('\n') });
  }
  protected async shoot(file: string, { full, target, clip }: ShotTarget): Promise<Buffer> {
    let png: Buffer;
    if (target) {
      // Not WebDriver's element screenshot: WebKitWebDriver paints what lies outside the viewport black. The element's
      // rectangle of a whole-page shot instead.
      const box = await this.evaluateOn(target, (el) => {
        const r = el.getBoundingClientRect();
        return { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height };
      });
      return this.shoot(file, { clip: box });
    }
    if (full || clip) {
      // WebDriver classic shoots the viewport only: the window grows to the page's height for one shot.
      const height = await this.run<number>('Math.max(document.documentElement.scrollHeight, innerHeight)');
      await this.session.setViewport(this.viewport.width, height);
      try {
        // The resize is laid out and painted asynchronously: a shot taken at once under load had everything below the
        // old viewport black. Wait until the page has the new height and two frames have passed.
        await until(() => this.run<boolean>(`innerHeight >= ${height}`), 'the window at the page height');
        await this.run('new Promise(function (done) { requestAnimationFrame(function () { requestAnimationFrame(function () { done(true); }); }); })');
        png = await this.session.screenshot();
      } finally {
        await this.session.setViewport(this.viewport.width, this.viewport.height);
      }
    } else {
      png = await this.session.screenshot();
    }
    if (clip) png = crop(png, clip);
    writeFileSync(file, png);
    return png;
  }
  close() {
    return this.session.close().then(() => undefined);
  }
}

/** What a citizen in China runs: the browser in Chinese, on Beijing time. */
const LOCALE = 'zh-CN';
const TIME_ZONE = 'Asia/Shanghai';

/**
 * The environment that puts a Linux browser in zh_CN on Beijing time. WebKitGTK takes its languages from the C
 * library's locale, which a minimal system has not generated (`locale -a`: C, POSIX): it is compiled once from the
 * `locales` package's source into a private folder (`LOCPATH`), as `locale-gen` would into the system's.
 */
let posixLocale: Promise<Record<string, string>> | undefined;
const posixEnv = () =>
  (posixLocale ??= (async () => {
    const dir = path.join(tmpdir(), 'aqjb-e2e-locales');
    const name = 'zh_CN.UTF-8';
    if (!existsSync(path.join(dir, name, 'LC_CTYPE'))) {
      // Compiled beside and renamed into place: another test file may be doing the same.
      const work = mkdtempSync(path.join(tmpdir(), 'aqjb-e2e-locale-'));
      await promisify(execFile)('localedef', ['-i', 'zh_CN', '-f', 'UTF-8', path.join(work, name)]);
      mkdirSync(dir, { recursive: true });
      try {
        renameSync(path.join(work, name), path.join(dir, name));
      } catch {
        /* another process put it there first */
      }
      rmSync(work, { recursive: true, force: true });
    }
    return { LOCPATH: dir, LANGUAGE: 'zh_CN', LANG: name, LC_ALL: name, TZ: TIME_ZONE };
  })());

export interface BrowserOptions {
  viewport: { width: number; height: number };
}

/** One engine's browser: launched once per test file; every page is a fresh context (own storage, cookies). */
export interface EngineBrowser {
  engine: Engine;
  version: string;
  newPage(options: BrowserOptions): Promise<Page>;
  close(): Promise<void>;
}

export async function launch(engine: Engine): Promise<EngineBrowser> {
  const files = mkdtempSync(path.join(tmpdir(), `aqjb-e2e-${engine}-`));
  mkdirSync(files, { recursive: true });
  const cleanup = () => rmSync(files, { recursive: true, force: true });
  if (engine === 'chromium') {
    // The browser's own language, which its date fields follow (the context's locale sets only the page's): --lang,
    // and on Linux the environment's LANGUAGE.
    const browser: PwBrowser = await chromium.launch({
      executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
      headless: true,
      args: [...CHROMIUM_ARGS, `--lang=${LOCALE}`],
      env: { ...process.env, ...(await posixEnv()) },
    });
    return {
      engine,
      version: browser.version(),
      async newPage({ viewport }) {
        const context = await browser.newContext({ viewport, locale: LOCALE, timezoneId: TIME_ZONE });
        context.setDefaultTimeout(20_000);
        return new ChromiumPage(context, await context.newPage());
      },
      close: () => browser.close().catch(() => {}).finally(cleanup),
    };
  }
  if (engine === 'firefox') {
    const browser: PpBrowser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: true,
      // The page's language and time zone as a citizen in Henan has them (Chromium's context sets the same).
      // Without a zh-CN language pack the browser's own language stays en-US; its date fields follow the regional
      // format, taken from the system's locale (LANG) once it is asked to.
      extraPrefsFirefox: { ...FIREFOX_PREFS, 'intl.accept_languages': LOCALE, 'intl.locale.requested': LOCALE, 'intl.regional_prefs.use_os_locales': true },
      env: { ...process.env, ...(await posixEnv()) },
    });
    return {
      engine,
      version: await browser.version(),
      async newPage({ viewport }) {
        const context = await browser.createBrowserContext();
        const page = await context.newPage();
        page.setDefaultTimeout(20_000);
        await page.setViewport(viewport);
        // A later context's tab is not the active one: keyboard focus (Tab order, :focus) follows the active tab.
        await page.bringToFront();
        return new FirefoxPage(context, page, files);
      },
      close: () => browser.close().catch(() => {}).finally(cleanup),
    };
  }
  // MiniBrowser takes its languages (navigator.language, the date fields' format) and time zone from its environment.
  // In a zh_CN locale GTK's default input method is XIM, which drops Shift from WebDriver's keys (':' typed as ';'):
  // the simple one types what it is sent, as a hardware keyboard would.
  const server = await WebKitDriverServer.start({ env: { ...(await posixEnv()), GTK_IM_MODULE: 'gtk-im-context-simple' } });
  return {
    engine,
    version: 'WebKitGTK',
    async newPage({ viewport }) {
      // A session is a MiniBrowser process of its own: fresh storage and cookies, as a new context elsewhere.
      const session = await server.newSession();
      await session.setViewport(viewport.width, viewport.height);
      return new WebKitPage(session, viewport, files);
    },
    close: () => server.close().finally(cleanup),
  };
}
