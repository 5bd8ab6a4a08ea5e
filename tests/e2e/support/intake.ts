/**
 * The citizen's path through <aqjb-intake> on the demo portal, step by step, as a person with a pointer does it, in
 * any engine (support/driver.ts). Targets pierce open shadow roots; ids inside the form are the dotted field paths
 * (`[id="subject.name"]`).
 */
import type { Target } from './driver.js';
import { until, type E2E, type Page } from './harness.js';

export const INTAKE: Target = ['aqjb-intake'];
export const FORM: Target = ['aqjb-intake', 'aqjb-report-form'];
export const PICKER: Target = ['aqjb-intake', 'aqjb-region-picker'];
export const ACCEPT: Target = ['aqjb-intake', 'aqjb-notice-gate', '[part~="accept-button"]'];
export const field = (id: string): Target => [...FORM, `[id="${id}"]`];
/** Something inside the intake's own shadow root (or deeper). */
export const inIntake = (...steps: Target): Target => [...INTAKE, ...steps];
export const inForm = (...steps: Target): Target => [...FORM, ...steps];

/** The step on screen (`data-step` of the visible section inside the intake's shadow root). */
export const visibleStep = (page: Page) =>
  page.evaluate(
    () => document.querySelector('aqjb-intake')?.shadowRoot?.querySelector<HTMLElement>('[data-step]:not([hidden])')?.dataset.step ?? '',
  );

export const waitForStep = (page: Page, step: string, timeoutMs?: number) =>
  until(async () => (await visibleStep(page)) === step, `the ${step} step`, timeoutMs);

/** How many reading receipts the API had answered when each page was opened: its own is the next one. */
const receiptsBefore = new WeakMap<Page, number>();
const receipts = (e2e: E2E) => e2e.front.passed.filter((r) => r.method === 'POST' && r.path.endsWith('/notice/receipts')).length;

/** Opens a demo page (its timers on the harness's page clock, so the notice countdown can be moved on). */
export async function openPage(page: Page, e2e: E2E, url: string): Promise<void> {
  receiptsBefore.set(page, receipts(e2e));
  await page.goto(url);
}

/** Both clocks past the 15 s: the server's (receipt → confirmation) and the page's (visible countdown). */
export async function readNotice(page: Page, e2e: E2E): Promise<void> {
  // The countdown starts once the notice is on screen, the button exists from then on; the server's clock may only
  // move on once it has answered the page's receipt, asked for at the same time (moving it earlier left the gate
  // waiting out the server's retryAfterMs on a clock nobody moves: a CI flake).
  await page.waitFor(ACCEPT, 'the accept button');
  const before = receiptsBefore.get(page) ?? 0;
  await until(() => receipts(e2e) > before, 'the reading receipt answered');
  await until(async () => (await page.attr(ACCEPT, 'aria-disabled')) === 'true', 'the countdown');
  e2e.clock.advance(15_000);
  await page.advanceClock(15_000);
  await until(async () => (await page.attr(ACCEPT, 'aria-disabled')) === 'false', 'the gate to unlock');
}

export async function passNotice(page: Page, e2e: E2E): Promise<void> {
  await readNotice(page, e2e);
  await page.click(ACCEPT);
  await waitForStep(page, 'mode');
}

export type Mode = '匿名举报' | '实名举报';
export const modeRadio = (mode: Mode): Target => inIntake({ css: 'label[part~="mode-option"]', text: mode }, 'input[type="radio"]');

export async function chooseMode(page: Page, mode: Mode): Promise<void> {
  await page.check(modeRadio(mode));
  await page.click(inIntake('[data-step="mode"] [part~="continue-button"]'));
  await waitForStep(page, 'region');
}

/** A region in the picker's list, by its exact name. */
export const region = (name: string): Target => [...PICKER, { css: '[part~="region-list"] [part~="region"]', in: '.name', text: name, exact: true }];

/** The list view of the place step (the Henan page opens on the map), then each level by name. */
export async function chooseRegion(page: Page, names: string[]): Promise<void> {
  await page.click([...PICKER, { css: 'button', text: '在列表中选' }]);
  for (const name of names) await page.click(region(name));
  await until(async () => (await page.text([...PICKER, '[part~="chosen"]'])).includes(names.at(-1)!), `${names.join(' › ')} chosen`);
  await page.click(inIntake('[data-step="region"] [part~="continue-button"]'));
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
  await until(() => page.count([...field('industry'), `option[value="${facts.industry}"]`]), 'the industry dictionary');
  await page.fill(field('subject.name'), facts.name);
  await page.fill(field('subject.address'), facts.address);
  await page.select(field('industry'), facts.industry);
  await page.check(inForm(`input[data-type="${facts.problemType}"]`));
  await page.fill(field('description'), facts.description);
}

export async function continueToReview(page: Page): Promise<void> {
  await page.click(inForm('[part~="continue-button"]'));
  await waitForStep(page, 'review');
}

export const SUBMIT: Target = inIntake('[part~="submit-button"]');

export async function submit(page: Page): Promise<void> {
  await page.click(SUBMIT);
}

export interface Receipt {
  code: string;
  key: string;
}

export async function readReceipt(page: Page): Promise<Receipt> {
  await waitForStep(page, 'receipt');
  return { code: await page.text(inIntake('[part~="report-code"]')), key: await page.text(inIntake('[part~="query-key"]')) };
}
