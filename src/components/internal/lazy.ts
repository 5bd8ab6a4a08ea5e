import type { CSSResult } from 'lit';
/**
 * Loads an element's module the first time its tag is in the page (light DOM), so a portal page with only a
 * progress lookup does not download the intake's form and map, and the intake's first screen stays small.
 * Elements used inside our own shadow roots are imported by their owner when needed.
 */
export function whenUsed(tag: string, load: () => Promise<unknown>): void {
  if (typeof document === 'undefined' || customElements.get(tag)) return;
  let loading = false;
  const check = () => {
    if (loading || !document.querySelector(tag)) return false;
    loading = true;
    observer?.disconnect();
    void load();
    return true;
  };
  const observer = typeof MutationObserver === 'undefined' ? undefined : new MutationObserver(check);
  if (!check()) observer?.observe(document.documentElement, { childList: true, subtree: true });
}

/** Runs `task` once the page is idle (after the current frame has painted): prefetching must not delay what is shown. */
export function whenIdle(task: () => void): void {
  const idle = (globalThis as { requestIdleCallback?: (cb: () => void, o?: { timeout: number }) => unknown }).requestIdleCallback;
  if (idle) idle(task, { timeout: 1000 });
  else setTimeout(task, 200);
}

/**
 * Adds the styles of a lazily loaded part to a shadow root, after the element's own: constructable stylesheets (no
 * `<style>` element, so a strict CSP without 'unsafe-inline' allows them).
 */
export function adoptLater(root: Element | ShadowRoot | DocumentFragment, styles: CSSResult): void {
  const sheet = styles.styleSheet;
  if (root instanceof ShadowRoot && sheet && !root.adoptedStyleSheets.includes(sheet)) {
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }
}
