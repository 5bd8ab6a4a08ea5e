/**
 * A lazily loaded part (a chunk behind `import()`), loaded on first use and kept once it has loaded. A failed load is
 * not kept: on a flaky network the chunk may fail once, and the next call (a citizen's 「重试」) must try again
 * instead of failing until the page is reloaded.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}
