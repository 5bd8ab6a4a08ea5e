import type { AqjbClient, Region } from '../../sdk/index.js';
import { afterPaint } from '../internal/lazy.js';
import { prefetchedJson, regionListUrl } from '../internal/prefetch.js';

const LEVELS: readonly unknown[] = ['province', 'prefecture', 'county'];

/** A list of places as the contract's `RegionList` has them, checked without the schemas; undefined if it is not. */
function readableRegions(raw: unknown): Region[] | undefined {
  const regions = (raw as { regions?: Partial<Region>[] } | undefined)?.regions;
  const ok =
    Array.isArray(regions) &&
    regions.every(
      (r) =>
        /^\d{6}$/.test(String(r?.code)) &&
        typeof r.name === 'string' &&
        typeof r.pinyin === 'string' &&
        LEVELS.includes(r.level) &&
        typeof r.hasChildren === 'boolean',
    );
  return ok ? (regions as Region[]) : undefined;
}

/**
 * The division tree as far as the citizen has opened it: one `GET /regions?parent=` per level, kept for the page's
 * life (the server lets browsers cache it for a day too). A failed load is forgotten so that 「重试」 asks again.
 */
export class RegionTree {
  #lists = new Map<string, Promise<Region[]>>();
  /** Lists shown unchecked, by parent, with what to call if the check refuses one. */
  #unverified = new Map<string, (() => void) | undefined>();

  constructor(readonly client: AqjbClient) {}

  /**
   * Children of `parent` ('' for the 34 provincial-level units). The list the page prefetched (a page with the
   * picker alone, see prefetch.ts) is shown from its plain JSON, as the gate shows its notice; `checkAfterPaint`
   * then has the SDK with its schemas (zod, ky) check the same answer. A list that fails the check is forgotten, and
   * `onStale` is called to load it again through the SDK.
   */
  children(parent: string, signal?: AbortSignal, onStale?: () => void): Promise<Region[]> {
    let list = this.#lists.get(parent);
    if (!list) {
      const early = prefetchedJson(regionListUrl(this.client.baseUrl, parent));
      list = early ? early.then((body) => this.#unchecked(parent, body, onStale)) : this.#checked(parent);
      this.#lists.set(parent, list);
    }
    return signal ? abortable(list, signal) : list;
  }

  /** The list through the SDK. No signal: the list is shared, and a view change must not abort it for the next one. */
  #checked(parent: string): Promise<Region[]> {
    const list = this.client.listRegions(parent || undefined).then((r) => r.regions);
    this.#lists.set(parent, list);
    list.catch(() => this.#lists.get(parent) === list && this.#lists.delete(parent));
    return list;
  }

  #unchecked(parent: string, body: unknown, onStale?: () => void): Region[] | Promise<Region[]> {
    const regions = readableRegions(body);
    if (!regions) return this.#checked(parent);
    this.#unverified.set(parent, onStale);
    return regions;
  }

  /**
   * Checks the lists shown unchecked, after the frame being drawn is painted. The picker calls it once its first
   * view (the list, and the map when it shows one) is drawn: loading and running the SDK's code (17 KB gzip) any
   * earlier took main-thread time from that first map.
   */
  checkAfterPaint(): void {
    if (!this.#unverified.size) return;
    const lists = [...this.#unverified];
    this.#unverified.clear();
    void afterPaint().then(() => {
      for (const [parent, onStale] of lists) this.#checked(parent).catch(() => onStale?.());
    });
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
