/**
 * The newest of a run of requests an element makes for one purpose (the notice, a lookup, a region search): `next()`
 * aborts the request under way and hands out the new one's signal, so an answer that arrives after a newer request
 * began is known by its own `signal.aborted` and ignored. `abort()` stops the one under way, e.g. on removal.
 */
export class Latest {
  #controller: AbortController | undefined;

  next(): AbortSignal {
    this.#controller?.abort();
    return (this.#controller = new AbortController()).signal;
  }

  abort(): void {
    this.#controller?.abort();
  }
}
