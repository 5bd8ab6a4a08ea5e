import { expect } from '@open-wc/testing';
import { waitUntil } from '../support/wait.js';

// A page with the picker alone, loaded as README's snippet loads it: the element is in the page before the
// picker-only entry runs, so the entry's prefetch asks for its first list and map. The first list is altered on
// its way in (its `parent` left out, which only the contract's schema notices, and 北京市 renamed), as a broken
// proxy or cache might: the map is drawn from it before any schema code has loaded, and the SDK's check that
// follows replaces it with the list as the server has it.
const api = (window as unknown as { __AQJB__: { api: string } }).__AQJB__.api;
const realFetch = window.fetch.bind(window);
let altered = 0;
window.fetch = async (input, init) => {
  const response = await realFetch(input, init);
  const url = input instanceof Request ? input.url : String(input);
  if (altered || !url.endsWith('/regions')) return response;
  altered++;
  const { regions } = (await response.json()) as { regions: { name: string }[] };
  const renamed = regions.map((r) => (r.name === '北京市' ? { ...r, name: '改过的北京' } : r));
  return new Response(JSON.stringify({ regions: renamed }), { headers: { 'content-type': 'application/json' } });
};

const schemaRequested = () => performance.getEntriesByType('resource').some((r) => /\/zod\//.test(r.name));

describe('the picker-only entry', () => {
  it('draws its first map from the prefetched list before the schemas load, then checks the list and replaces a bad one', async () => {
    document.body.innerHTML = `<aqjb-region-picker api-base="${api}" geometry-base="/demo/geometry/" style="display:block;width:800px"></aqjb-region-picker>`;
    const el = document.querySelector('aqjb-region-picker')!;
    // The moment the shapes enter the picker's DOM, seen by an observer (a microtask after the change), not a poll.
    const firstMap = customElements.whenDefined('aqjb-region-picker').then(
      () =>
        new Promise<{ schemaLoaded: boolean; names: string[] }>((resolve) => {
          const root = el.shadowRoot!;
          const seen = () => {
            const shapes = [...root.querySelectorAll('svg [role="button"]')];
            if (!shapes.length) return false;
            resolve({ schemaLoaded: schemaRequested(), names: shapes.map((s) => s.getAttribute('aria-label') ?? '') });
            return true;
          };
          if (seen()) return;
          const watch = new MutationObserver(() => seen() && watch.disconnect());
          watch.observe(root, { childList: true, subtree: true });
        }),
    );
    await import('../../src/components/picker-only.js');

    const first = await firstMap;
    expect(altered, 'the prefetched list came through the page').to.equal(1);
    expect(first.schemaLoaded, 'no schema code before the first map').to.equal(false);
    expect(first.names, 'drawn from the list as it came').to.include.members(['河南省', '改过的北京']);

    // The check runs after that frame; its schema refuses the list, which is loaded again from the server.
    const names = () => [...el.shadowRoot!.querySelectorAll('svg [role="button"]')].map((s) => s.getAttribute('aria-label'));
    await waitUntil(() => names().includes('北京市') && !names().includes('改过的北京'), 'the list as the server has it');
    expect(schemaRequested(), 'the schemas checked the list').to.equal(true);
    expect(names()).to.have.length(first.names.length);
  });
});
