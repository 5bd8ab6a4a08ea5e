import type { AqjbClient, Region } from '../../sdk/index.js';

/**
 * The division tree as far as the citizen has opened it: one `GET /regions?parent=` per level, kept for the page's
 * life (the server lets browsers cache it for a day too). A failed load is forgotten so that 「重试」 asks again.
 */
export class RegionTree {
  #lists = new Map<string, Promise<Region[]>>();

  constructor(readonly client: AqjbClient) {}

  /** Children of `parent` ('' for the 34 provincial-level units). */
  children(parent: string, signal?: AbortSignal): Promise<Region[]> {
    let list = this.#lists.get(parent);
    if (!list) {
      // No signal here: the list is shared, and a view change must not abort it for the next reader.
      list = this.client.listRegions(parent || undefined).then((r) => r.regions);
      list.catch(() => this.#lists.delete(parent));
      this.#lists.set(parent, list);
    }
    return signal ? abortable(list, signal) : list;
  }

  /** The place and the places above it, outermost first. */
  async pathTo(code: string, signal?: AbortSignal): Promise<Region[]> {
    const { ancestors, ...region } = await this.client.getRegion(code, { signal });
    return [...ancestors, region];
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    promise.then(resolve, reject);
  });
}
