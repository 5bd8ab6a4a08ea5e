/**
 * Keyboard-only helpers: they read where focus is (through every shadow root) but act only with key presses.
 */
import type { Page } from './harness.js';

export interface Focused {
  tag: string;
  id: string;
  part: string;
  type: string;
  value: string;
  /** Visible text of the element (buttons, links), trimmed. */
  text: string;
  /** Tag names of the shadow hosts it sits in, outermost first. */
  hosts: string[];
}

/** The element that has focus, found through nested shadow roots. */
export const focused = (page: Page): Promise<Focused | null> =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement;
    const hosts: string[] = [];
    while (el?.shadowRoot?.activeElement) {
      hosts.push(el.localName);
      el = el.shadowRoot.activeElement;
    }
    if (!el || el === document.body) return null;
    return {
      tag: el.localName,
      id: el.id,
      part: el.getAttribute('part') ?? '',
      type: el.getAttribute('type') ?? '',
      value: (el as HTMLInputElement).value ?? '',
      text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
      hosts,
    };
  });

/** Presses Tab (or Shift+Tab) until `match` holds for the focused element; fails after `max` presses. */
export async function tabTo(page: Page, match: (f: Focused) => boolean, what: string, { max = 80, back = false } = {}): Promise<Focused> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (f && match(f)) return f;
    seen.push(f ? `${f.hosts.join('>')}>${f.tag}#${f.id}[${f.part}]"${f.text.slice(0, 20)}"` : '(body)');
  }
  throw new Error(`Tab never reached ${what}; focus went: ${seen.slice(-25).join(' | ')}`);
}

export const isButton = (text: string) => (f: Focused) => f.tag === 'button' && f.text.includes(text);
