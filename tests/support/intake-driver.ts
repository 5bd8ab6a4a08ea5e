/**
 * Drives <aqjb-intake> in browser tests as a citizen would: through its shadow roots, against the real reference
 * server (its clock moved by the test runner's /__aqjb/clock middleware).
 */
import { waitUntil } from './wait.js';
import type { AqjbIntake } from '../../src/components/intake/intake.js';
import type { ManualClock } from './manual-clock.js';

export const advanceServer = (ms: number) => fetch(`/__aqjb/clock?advance=${ms}`);

export const root = (el: Element) => el.shadowRoot!;
export const within = (el: Element, selector: string) => root(el).querySelector<HTMLElement>(selector);
export const visibleStep = (el: AqjbIntake) => root(el).querySelector<HTMLElement>('[data-step]:not([hidden])')?.dataset.step;

/** Types into a control inside the form's shadow root, as input events would. */
export function fill(form: Element, id: string, value: string) {
  const control = root(form).querySelector<HTMLInputElement>(`[id="${id}"]`)!;
  control.focus();
  control.value = value;
  control.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  control.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

export async function clickButton(scope: ShadowRoot, text: string) {
  await waitUntil(() => [...scope.querySelectorAll('button')].some((b) => b.textContent?.includes(text)), `button ${text}`);
  [...scope.querySelectorAll('button')].find((b) => b.textContent?.includes(text))!.click();
}

export async function passGate(el: AqjbIntake, clock: ManualClock) {
  const gate = within(el, 'aqjb-notice-gate')!;
  const accept = () => gate.shadowRoot?.querySelector<HTMLElement>('[part~="accept-button"]');
  // The server counts its 15 s from the receipt, which may arrive after the local countdown has started (the notice
  // shows first). Moving the server's clock before the receipt is open leaves it too early: the gate would then wait
  // out the server's retryAfterMs on our manual clock, which nobody moves again (seen once on a loaded CI machine).
  const receiptOpen = () => (gate as unknown as { loadPhase?: string }).loadPhase === 'done';
  await waitUntil(() => accept() && clock.pending > 0 && receiptOpen(), 'gate loaded, receipt open and counting', { timeout: 5000 });
  await advanceServer(15_000);
  clock.advance(15_000);
  await waitUntil(() => accept()?.getAttribute('aria-disabled') === 'false', 'gate unlocked', { timeout: 5000 });
  accept()!.click();
  await waitUntil(() => visibleStep(el) === 'mode', 'mode step');
}

export async function chooseRegion(el: AqjbIntake, names: string[]) {
  await waitUntil(() => within(el, 'aqjb-region-picker')?.shadowRoot?.querySelector('[part~="region"]'), 'picker list', { timeout: 5000 });
  const picker = within(el, 'aqjb-region-picker')!;
  for (const name of names) {
    await waitUntil(
      () => [...picker.shadowRoot!.querySelectorAll<HTMLElement>('[part~="region"]')].some((b) => b.querySelector('.name')?.textContent === name),
      `region ${name}`,
      { timeout: 5000 },
    );
    [...picker.shadowRoot!.querySelectorAll<HTMLElement>('[part~="region"]')].find((b) => b.querySelector('.name')?.textContent === name)!.click();
  }
}

export async function fillForm(el: AqjbIntake) {
  await waitUntil(() => visibleStep(el) === 'form' && within(el, 'aqjb-report-form'), 'form step', { timeout: 5000 });
  const form = within(el, 'aqjb-report-form')!;
  await waitUntil(() => form.shadowRoot?.querySelector('[id="industry"] option[value="chemical"]'), 'dictionaries', { timeout: 5000 });
  fill(form, 'subject.name', '某某化工有限公司');
  fill(form, 'subject.address', '郑州市金水区某路 1 号');
  fill(form, 'industry', 'chemical');
  const hazard = root(form).querySelector<HTMLInputElement>('input[data-type="major-hazard"]')!;
  hazard.click();
  fill(form, 'description', '储罐区可燃气体报警器长期损坏，夜间有人在罐区吸烟。');
  return form;
}

/** Where `fillIntake` reports from unless told: Zhengzhou's 金水区. */
const JINSHUI = { names: ['郑州市', '金水区'], code: '410105' };

/** Notice, mode (anonymous), place and form of `<aqjb-intake>`, up to the review step. */
export async function fillIntake(el: AqjbIntake, clock: ManualClock, place: { names: string[]; code: string } = JINSHUI) {
  await passGate(el, clock);
  within(el, 'input[name="mode"][value="anonymous"]')!.click();
  await clickButton(root(el), '继续');
  await chooseRegion(el, place.names);
  await waitUntil(() => (within(el, 'aqjb-region-picker') as HTMLInputElement).value === place.code, 'place chosen');
  within(el, '[data-step="region"] [part~="continue-button"]')!.click();
  const form = await fillForm(el);
  root(form).querySelector<HTMLElement>('[part~="continue-button"]')!.click();
  await waitUntil(() => visibleStep(el) === 'review', 'review step');
}
