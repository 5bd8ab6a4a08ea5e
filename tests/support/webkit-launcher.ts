/**
 * @web/test-runner's launcher for WebKit: one MiniBrowser window through WebKitWebDriver (tests/support/webdriver.ts),
 * test files one after another in it.
 *
 * The runner's commands (`sendKeys`, `sendMouse`, `setViewport` from @web/test-runner-commands) dispatch on the
 * launcher's `type`, and their WebDriver branch expects webdriverio (and has no viewport at all). So this launcher
 * declares the type `playwright` and hands those commands a page object with the few Playwright methods they call
 * (`keyboard`, `mouse`, `setViewportSize`), each one W3C WebDriver request. Nothing else in the runner reads the type.
 */
import type { BrowserLauncher, SessionResult } from '@web/test-runner-core';
import { WebKitDriverServer, type WebDriverSession } from './webdriver.js';

type Button = 'left' | 'middle' | 'right';
const BUTTON: Record<Button, number> = { left: 0, middle: 1, right: 2 };

/** What @web/test-runner-commands calls on a Playwright page, over WebDriver. */
function commandPage(session: WebDriverSession) {
  let at = { x: 0, y: 0 };
  return {
    setViewportSize: ({ width, height }: { width: number; height: number }) => session.setViewport(width, height),
    keyboard: {
      press: (key: string) => session.keys([key]),
      type: (text: string) => session.keys([text], { type: true }),
      down: (key: string) => session.command('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions: [{ type: 'keyDown', value: key }] }] }),
      up: (key: string) => session.command('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions: [{ type: 'keyUp', value: key }] }] }),
    },
    mouse: {
      move: (x: number, y: number) => ((at = { x, y }), session.pointer([{ type: 'move', x, y }])),
      click: (x: number, y: number, { button = 'left' }: { button?: Button } = {}) =>
        ((at = { x, y }),
        session.pointer([{ type: 'move', x, y }, { type: 'down', button: BUTTON[button] }, { type: 'up', button: BUTTON[button] }])),
      down: ({ button = 'left' }: { button?: Button } = {}) => session.pointer([{ type: 'move', ...at }, { type: 'down', button: BUTTON[button] }]),
      up: ({ button = 'left' }: { button?: Button } = {}) => session.pointer([{ type: 'move', ...at }, { type: 'up', button: BUTTON[button] }]),
      reset: () => session.command('DELETE', '/actions'),
    },
  };
}

export function webkitLauncher(): BrowserLauncher & { getPage(id: string): ReturnType<typeof commandPage> } {
  let server: WebKitDriverServer | undefined;
  let window: Promise<{ session: WebDriverSession; page: ReturnType<typeof commandPage> }> | undefined;
  const active = new Set<string>();
  let current: ReturnType<typeof commandPage> | undefined;
  const open = () =>
    (window ??= (async () => {
      server = await WebKitDriverServer.start();
      // Test files report through the runner's web socket; the launcher need not wait for `load`.
      const session = await server.newSession({ pageLoadStrategy: 'none' });
      return { session, page: commandPage(session) };
    })());

  return {
    name: 'WebKit',
    type: 'playwright',
    concurrency: 1,
    async startSession(id, url) {
      const { session, page } = await open();
      active.add(id);
      current = page;
      await session.navigate(url);
    },
    isActive: (id) => active.has(id),
    async getBrowserUrl() {
      return (await open()).session.currentUrl();
    },
    async stopSession(id): Promise<SessionResult> {
      active.delete(id);
      const { session } = await open();
      await session.navigate('about:blank').catch(() => undefined);
      return {};
    },
    getPage() {
      if (!current) throw new Error('no WebKit page open');
      return current;
    },
    startDebugSession() {
      throw new Error('WebKit runs headless under Xvfb here; debug in Chromium');
    },
    async stop() {
      const w = await window?.catch(() => undefined);
      await w?.session.close();
      await server?.close();
    },
  };
}
