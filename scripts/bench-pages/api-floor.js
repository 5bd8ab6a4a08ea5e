// The bench's lower bound for an API-driven notice gate (scripts/bench.ts, "API floor"): the Henan portal page with
// our script tag swapped for this file. No framework, no validation, no texts, no styles: it asks the API for the
// notice and opens the reading receipt as soon as it runs, then prints the notice into the same shadow-DOM shape the
// gate probe looks for. Whatever this takes beyond the static floor is the cost of the round trip and one more frame,
// which no script that gets its notice from the API can avoid.
const intake = document.querySelector('aqjb-intake');
const api = new URL(intake.getAttribute('api-base'), location.href);
const json = (path, init) => fetch(new URL(path, api), { credentials: 'omit', ...init }).then((r) => r.json());
const notice = json('notice');
const receipt = json('notice/receipts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });

const el = (tag, text, part) => {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (part) node.setAttribute('part', part);
  return node;
};

customElements.define('aqjb-notice-gate', class extends HTMLElement {
  async connectedCallback() {
    const root = this.attachShadow({ mode: 'open' });
    // As the gate: the text shows when the notice is in; the receipt, asked for at the same time, is not awaited.
    const n = await notice;
    void receipt;
    const body = el('div', undefined, 'body');
    body.append(el('h2', n.title));
    for (const s of n.sections ?? []) {
      const section = el('section');
      section.append(el('h3', s.heading));
      for (const b of s.blocks) {
        if (b.type === 'paragraph') section.append(el('p', b.text));
        else section.append(el(b.ordered ? 'ol' : 'ul')), section.lastChild.append(...b.items.map((i) => el('li', i)));
      }
      body.append(section);
    }
    const button = el('button', '我已阅读以上条款', 'accept-button');
    button.disabled = true;
    root.append(body, button);
  }
});
intake.attachShadow({ mode: 'open' }).append(el('aqjb-notice-gate'));
