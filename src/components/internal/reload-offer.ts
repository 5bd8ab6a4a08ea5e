import { html, nothing } from 'lit';
import type { Messages } from '../locales/localize.js';

/**
 * The way on when a part of the widget did not load and 「重试」 does not bring it: reloading the page. Firefox keeps
 * a failed module download for the page's life (the HTML standard's module map): `import()` of the same file fails
 * again at once, without asking the network, and only a new page loads it. Elsewhere it helps too when a retry keeps
 * failing. Offered only where the draft is kept (`draft-storage` session or local, storage allowed): a reload must
 * not lose what was typed.
 */
export function reloadOffer(t: Messages['common'], keepsDraft: boolean) {
  return keepsDraft
    ? html`<p>${t.reloadKeeps}</p>
        <button type="button" class="secondary" @click=${() => location.reload()}>${t.reload}</button>`
    : nothing;
}
