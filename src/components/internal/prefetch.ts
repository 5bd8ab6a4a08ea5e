/**
 * The first screen's two requests (the notice, and the reading receipt that starts the server's 15 s), sent the
 * moment the embed script runs instead of after its elements have been defined and rendered: on a phone the answers
 * then arrive while the rest of the script is still being compiled, and the notice shows in the first frame. On a
 * page with the region picker alone, its first list of places and, when it is on screen, its first map, likewise.
 *
 * It imports only the SDK's base-URL rule (no zod, no lit), so the bundle evaluates it first. The answers go through
 * the SDK as usual: the client's `fetch` (see `clientFor`) hands out a prefetched response once, for the same method
 * and URL, and the SDK validates it with the contract's schemas like any other; a failed prefetch is asked again.
 */
import { resolveBaseUrl } from '../../sdk/base-url.js';
import { geometryUrl, sizeFor } from '../region-picker/geometry-url.js';

const pending = new Map<string, Promise<Response>>();
/** JSON bodies by URL (the notice's, a picker's first list), read from a copy of the response as it arrives. */
const bodies = new Map<string, Promise<unknown>>();

const key = (method: string, url: string) => `${method} ${url}`;

/** The client's own rule for `api-base` (https, or a local server); undefined where the element will show a problem. */
function baseOf(element: Element): string | undefined {
  try {
    return resolveBaseUrl(element.getAttribute('api-base') ?? '');
  } catch {
    return undefined;
  }
}

function send(method: 'GET' | 'POST', url: string, readBody = false): void {
  const request = fetch(url, { method, credentials: 'omit' });
  request.catch(() => {}); // an unused failure must not be reported as unhandled
  pending.set(key(method, url), request);
  // Read at once, not when an element asks: the answer arrives while the first screen's code is being compiled and
  // run, and a body read only then waited for that long task and the frame after it, so the gate drew its loading
  // state first and the notice a frame later. Read now, the text is there when the gate first renders.
  if (readBody) bodies.set(url, request.then((r) => (r.ok ? r.clone().json() : undefined)).catch(() => undefined));
}

function prefetch(): void {
  if (typeof document === 'undefined' || typeof fetch !== 'function') return;
  // A page that shows the notice now: an intake or a gate in the page itself, configured by attribute.
  const gate = document.querySelector('aqjb-intake[api-base], aqjb-notice-gate[api-base]');
  const gateBase = gate && baseOf(gate);
  if (gateBase) {
    send('GET', gateBase + 'notice', true);
    send('POST', gateBase + 'notice/receipts');
    return;
  }
  // A page with the region picker alone: its first list (the one `listRegions` asks for, at `root` or the national
  // level). Never personal: the same public list for everyone.
  const picker = gate ? null : document.querySelector('aqjb-region-picker[api-base]');
  const pickerBase = picker && baseOf(picker);
  if (pickerBase) {
    const root = picker!.getAttribute('root') ?? '';
    send('GET', regionListUrl(pickerBase, root), true);
    try {
      const map = mapOnScreen(picker!);
      if (map) send('GET', geometryUrl(map.base, root, map.size));
    } catch {
      // A `geometry-base` that is no URL: the picker shows its list, and says why.
    }
  }
}

/**
 * The picker's first map, if it will draw one at once: a map view with `geometry-base`, no `value` to locate first,
 * and on screen now (the picker waits for that before it loads a map). The size as the picker will choose it from its
 * width: a picker the page has not styled yet is a block as wide as its container. Only a first layout is read.
 */
function mapOnScreen(picker: Element): { base: string; size: 's' | 'l' } | undefined {
  const base = picker.getAttribute('geometry-base');
  if (!base || picker.hasAttribute('value') || (picker.getAttribute('view') ?? 'map') !== 'map') return undefined;
  const box = picker.getBoundingClientRect();
  if (box.top >= innerHeight || box.bottom < 0) return undefined;
  const inline = getComputedStyle(picker).display === 'inline';
  const width = inline ? (picker.parentElement?.clientWidth ?? innerWidth) : box.width;
  return { base, size: sizeFor(width) };
}

/** The URL of `GET /regions` for the places under `parent` ('' for the provinces), as the SDK asks for it. */
export const regionListUrl = (base: string, parent: string): string =>
  base + (parent ? `regions?${new URLSearchParams({ parent })}` : 'regions');

/** Whether the page asked for `url` as it started (see `mapOnScreen`), and has not handed the answer out yet. */
export const prefetched = (url: string): boolean => pending.has(key('GET', url));

prefetch();

/**
 * The JSON body of a prefetched `GET url` (the notice, a picker's first list), read from a copy of the response (the
 * SDK still gets the response itself and checks it with the contract's schemas): the element shows it before those
 * schemas have loaded. Once per URL; `undefined` when nothing was prefetched for it, and for an answer that was not
 * a success.
 */
export function prefetchedJson(url: string): Promise<unknown> | undefined {
  const body = bodies.get(url);
  bodies.delete(url);
  return body;
}

/** `fetch` for the page's clients: a prefetched answer for the same request, once; otherwise the network. */
export const prefetchingFetch: typeof fetch = (input, init) => {
  const request = new Request(input, init);
  const k = key(request.method, request.url);
  const prefetched = pending.get(k);
  pending.delete(k);
  return prefetched ?? fetch(request);
};
