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
