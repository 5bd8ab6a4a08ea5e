/**
 * A corpus of hostile input, and in-page checks that it stayed text: nothing parsed into elements or handlers in the
 * document or any shadow root, and shown literally where it is shown.
 *
 * Strings go into the page as `evaluate` arguments, which keep lone surrogates; typing cannot (the protocol, like any
 * keyboard or IME, turns a lone surrogate into U+FFFD), so the in-page comparisons use what the page really holds.
 */
import type { Target } from './driver.js';
import type { Page } from './harness.js';

export const CORPUS = {
  script: '<script>alert(1)</script>',
  img: '<img src=x onerror=alert(1)>',
  svg: '"><svg onload=alert(1)>',
  js: 'javascript:alert(1)',
  rtl: '\u202Egnp.exe',
  long: '危'.repeat(2500) + 'x'.repeat(2500),
  lone: 'a\uD800b',
} as const;

export type CorpusKey = keyof typeof CORPUS;
export const ENTRIES = Object.entries(CORPUS) as [CorpusKey, string][];

/**
 * Elements the corpus would create if it were parsed as HTML anywhere in the page, shadow roots included.
 * (Page functions here use loops, not inner named functions: tsx would wrap those in a `__name` helper the page lacks.)
 */
export const injected = (page: Page): Promise<string[]> =>
  page.evaluate(() => {
    const found: string[] = [];
    const roots: (Document | ShadowRoot)[] = [document];
    for (let root = roots.pop(); root; root = roots.pop()) {
      const at = root instanceof ShadowRoot ? `${root.host.localName}>` : '';
      for (const el of root.querySelectorAll('*')) {
        for (const attr of el.attributes) if (/^on/i.test(attr.name)) found.push(`${at}${el.localName}[${attr.name}]`);
        // The page's own: the entry script (the embed's, or the lookup page's), and the import map with its chunks'
        // hashes (that and nothing else); and the test harness's page script (harness.ts).
        if (el.localName === 'script') {
          // An SVG <script> is never ours.
          const ours =
            root === document &&
            el instanceof HTMLScriptElement &&
            (/\/dist\/aqjb-(embed|lookup)\.js$/.test(el.src) ||
              new URL(el.src || 'about:blank').pathname === '/__e2e/harness.js' || (el.type === 'importmap' && /^\{"integrity":\{("[^"<]+":"sha384-[\w+/=]+",?)*\}\}$/.test(el.text)));
          if (!ours) found.push(`${at}script`);
        }
        if (el.localName === 'img' && el.getAttribute('src') === 'x') found.push(`${at}img[src=x]`);
        // The only SVG we draw is the region map.
        if (el.localName === 'svg' && !el.closest('[part~="map"]')) found.push(`${at}svg`);
        for (const name of ['href', 'src', 'action', 'formaction']) {
          if (/^\s*javascript:/i.test(el.getAttribute(name) ?? '')) found.push(`${at}${el.localName}[${name}=javascript:]`);
        }
        if (el.shadowRoot) roots.push(el.shadowRoot);
      }
    }
    return found;
  });

/**
 * Which of `expected` are NOT in the target's text (its shadow tree and slotted light DOM included), compared code
 * unit by code unit inside the page. (No helper passed as source: `eval` is what the CSP forbids.)
 */
export async function missingText(page: Page, target: Target, expected: readonly string[]): Promise<string[]> {
  const missing = await page.evaluateOn(
    target,
    (el, wanted) => {
      let text = '';
      const nodes: Node[] = [el];
      // Depth first, in document order: a node, then its shadow tree, then its children.
      for (let n = nodes.pop(); n; n = nodes.pop()) {
        if (n.nodeType === Node.TEXT_NODE) text += (n as Text).data;
        const next = [...(n instanceof Element && n.shadowRoot ? [n.shadowRoot] : []), ...n.childNodes];
        nodes.push(...next.reverse());
      }
      return wanted.map((w, i) => (text.includes(w) ? -1 : i)).filter((i) => i >= 0);
    },
    expected as string[],
  );
  return missing.map((i) => label(expected[i]!));
}

/** A short, printable name for a corpus string in failure messages. */
export function label(s: string): string {
  const entry = ENTRIES.find(([, v]) => v === s);
  if (entry) return entry[0];
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…(${s.length})` : s);
}

/** The control's value as the page holds it equals `value` (code units; lone surrogates included). */
export const valueIs = (page: Page, control: Target, value: string) => page.evaluateOn(control, (el, v) => (el as HTMLInputElement).value === v, value);

/**
 * Puts a string the keyboard cannot produce (a lone surrogate) into a control the way a paste or an autofill
 * would: the native value setter, then `input`.
 */
export const insertRaw = (page: Page, control: Target, value: string) =>
  page.evaluateOn(
    control,
    (el, v) => {
      const input = el as HTMLInputElement;
      input.focus();
      const proto = Object.getPrototypeOf(input) as object;
      Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(input, v);
      input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    },
    value,
  );
