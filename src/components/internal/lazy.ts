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

/**
 * Once the frame that shows the current render has been painted, or at once while the page is hidden (it runs no
 * frames then). Not after a fixed 100 ms, as before: on a busy phone (WebKit under load, in the tests) the first
 * frame came later, and the schemas were then asked for before the notice was on screen.
 */
export const afterPaint = (): Promise<void> =>
  new Promise<void>((resolve) => {
    const done = () => {
      document.removeEventListener('visibilitychange', onHide);
      setTimeout(resolve);
    };
    const onHide = () => document.visibilityState === 'hidden' && done();
    if (document.visibilityState === 'hidden') return done();
    document.addEventListener('visibilitychange', onHide);
    requestAnimationFrame(done);
  });

/**
 * Runs `task` once the current frame has painted and the page is then idle: prefetching must not delay what is shown.
 * Idle alone was not enough: Firefox ran an idle callback before the notice's first frame was painted, and the
 * intake's later steps (in the file with the schemas) were asked for before the notice was on screen.
 */
export function whenIdle(task: () => void): void {
  const idle = (globalThis as { requestIdleCallback?: (cb: () => void, o?: { timeout: number }) => unknown }).requestIdleCallback;
  void afterPaint().then(() => (idle ? idle(task, { timeout: 1000 }) : setTimeout(task, 200)));
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
