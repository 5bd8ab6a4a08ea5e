/**
 * Chromium only (Playwright locators), for the files not yet on the three-engine driver; support/intake.ts is the
 * engine-neutral path the ported flows take (#20). The citizen's path through <aqjb-intake> on the demo portal, step by step, as a person with a pointer does it.
 * Locators pierce open shadow roots; ids inside the form are the dotted field paths (`[id="subject.name"]`).
 */
import type { Page } from 'playwright-core';
import type { ManualClock } from '../../support/manual-clock.js';
import { until } from './chromium-harness.js';

export const intake = (page: Page) => page.locator('aqjb-intake');
export const form = (page: Page) => page.locator('aqjb-intake aqjb-report-form');
export const field = (page: Page, id: string) => form(page).locator(`[id="${id}"]`);
export const acceptButton = (page: Page) => page.locator('aqjb-intake aqjb-notice-gate [part~="accept-button"]');

/** The step on screen (`data-step` of the visible section inside the intake's shadow root). */
export const visibleStep = (page: Page) =>
  page.evaluate(
    () => document.querySelector('aqjb-intake')?.shadowRoot?.querySelector<HTMLElement>('[data-step]:not([hidden])')?.dataset.step ?? '',
  );

export const waitForStep = (page: Page, step: string, timeoutMs?: number) =>
  until(async () => (await visibleStep(page)) === step, `the ${step} step`, timeoutMs);

/** The page's first reading receipt, answered: the server's 15 s run from there. */
const receiptOpened = new WeakMap<Page, Promise<unknown>>();

/**
 * Opens a demo page with Playwright's clock installed, so the notice countdown (page timers) can be moved on instead
 * of waited out. Time still flows by itself until a test pauses it.
 */
export async function openPage(page: Page, url: string): Promise<void> {
  await page.clock.install();
  receiptOpened.set(page, page.waitForResponse((r) => r.request().method() === 'POST' && /\/notice\/receipts$/.test(r.url()), { timeout: 30_000 }).catch(() => undefined));
  await page.goto(url);
}


/** Both clocks past the 15 s: the server's (receipt → confirmation) and the page's (visible countdown). */
export async function readNotice(page: Page, clock: ManualClock): Promise<void> {
  // The countdown starts once the notice is on screen, the button exists from then on; the server's clock may only
  // move on once it has opened the receipt, which the page asks for at the same time.
  await acceptButton(page).waitFor();
  await receiptOpened.get(page);
  await until(async () => (await acceptButton(page).getAttribute('aria-disabled')) === 'true', 'the countdown');
  clock.advance(15_000);
  await page.clock.fastForward(15_000);
  await until(async () => (await acceptButton(page).getAttribute('aria-disabled')) === 'false', 'the gate to unlock');
}

export async function passNotice(page: Page, clock: ManualClock): Promise<void> {
  await readNotice(page, clock);
  await acceptButton(page).click();
  await waitForStep(page, 'mode');
}

export async function chooseMode(page: Page, mode: '匿名举报' | '实名举报'): Promise<void> {
  await intake(page).getByRole('radio', { name: mode }).check();
  await intake(page).locator('[data-step="mode"] [part~="continue-button"]').click();
  await waitForStep(page, 'region');
}

/** The list view of the place step (the Henan page opens on the map), then each level by name. */
export async function chooseRegion(page: Page, names: string[]): Promise<void> {
  const picker = page.locator('aqjb-intake aqjb-region-picker');
  await picker.getByRole('button', { name: '在列表中选' }).click();
  for (const name of names) {
    await picker.locator('[part~="region-list"] [part~="region"]', { has: page.locator(`.name:text-is("${name}")`) }).click();
  }
  await until(
    async () => ((await picker.locator('[part~="chosen"]').textContent()) ?? '').includes(names.at(-1)!),
    `${names.join(' › ')} chosen`,
  );
  await intake(page).locator('[data-step="region"] [part~="continue-button"]').click();
  await waitForStep(page, 'form');
}

export interface Facts {
  name: string;
  address: string;
  industry: string;
  problemType: string;
  description: string;
}

export const FACTS: Facts = {
  name: '某某化工有限公司',
  address: '郑州市金水区某路 1 号',
  industry: 'chemical',
  problemType: 'major-hazard',
  description: '储罐区可燃气体报警器长期损坏，夜间有人在罐区吸烟。',
};

export async function fillFacts(page: Page, facts: Facts = FACTS): Promise<void> {
  await field(page, 'industry').locator(`option[value="${facts.industry}"]`).waitFor({ state: 'attached' });
  await field(page, 'subject.name').fill(facts.name);
  await field(page, 'subject.address').fill(facts.address);
  await field(page, 'industry').selectOption(facts.industry);
  await form(page).locator(`input[data-type="${facts.problemType}"]`).check();
  await field(page, 'description').fill(facts.description);
}

export async function continueToReview(page: Page): Promise<void> {
  await form(page).locator('[part~="continue-button"]').click();
  await waitForStep(page, 'review');
}

export async function submit(page: Page): Promise<void> {
  await intake(page).locator('[part~="submit-button"]').click();
}

export interface Receipt {
  code: string;
  key: string;
}

export async function readReceipt(page: Page): Promise<Receipt> {
  await waitForStep(page, 'receipt');
  const code = (await intake(page).locator('[part~="report-code"]').textContent())!.trim();
  const key = (await intake(page).locator('[part~="query-key"]').textContent())!.trim();
  return { code, key };
}
