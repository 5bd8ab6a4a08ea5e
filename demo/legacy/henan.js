// The Henan demo page: one transition client, handed to both elements; the mode comes from ?mode= so switching
// is a reload, as a province's configuration change would be. Everything dynamic is set with textContent.
import '/dist/aqjb-embed.js';
import { createTransitionClient, henanAdapter, registerLegacyAdapter, TRANSITION_MODES } from '/legacy/henan-bundle.js';

const $ = (id) => document.getElementById(id);
const api = document.querySelector('meta[name="aqjb-api"]').content;
const legacyBase = document.querySelector('meta[name="aqjb-legacy"]').content;
const requested = new URLSearchParams(location.search).get('mode');
const mode = TRANSITION_MODES.includes(requested) ? requested : 'dual';

registerLegacyAdapter(henanAdapter);
const client = createTransitionClient({ national: { baseUrl: api }, legacy: { adapter: henanAdapter, baseUrl: legacyBase }, mode });
$('intake').client = client;
$('lookup').client = client;

for (const input of document.querySelectorAll('input[name="mode"]')) input.checked = input.value === mode;
$('mode-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const chosen = new FormData(event.target).get('mode');
  location.search = `?mode=${encodeURIComponent(chosen)}`;
});
$('mode-note').textContent = {
  national: '当前：仅国家系统。河南旧系统的编号仍可查询（旧系统运行期间）。',
  dual: '当前：双轨。市民拿到的是国家系统的举报编码；副本经发件箱送达河南旧系统。',
  legacy: '当前：旧系统。市民拿到的是河南旧系统的编号（HN 开头）。',
}[mode];

const STATE = { pending: '等待发送', delivered: '已送达', failed: '失败，需人工处理' };

async function renderOutbox() {
  const { counts, open } = await client.outbox.status();
  $('outbox-counts').textContent = `等待发送 ${counts.pending} · 已送达 ${counts.delivered} · 失败 ${counts.failed}`;
  const list = $('outbox-list');
  list.replaceChildren(
    ...open.map((entry) => {
      const item = document.createElement('li');
      const error = entry.lastError ? `；最近错误：${entry.lastError.code}${entry.lastError.field ? `（字段 ${entry.lastError.field}）` : ''}` : '';
      item.textContent = `${entry.key}：${STATE[entry.state]}，已尝试 ${entry.attempts} 次${error} `;
      const retry = document.createElement('button');
      retry.type = 'button';
      retry.textContent = '立即重试';
      retry.addEventListener('click', () => void client.outbox.retry(entry.key));
      item.append(retry);
      return item;
    }),
  );
}

if (client.outbox) {
  $('outbox').hidden = false;
  client.outbox.subscribe(() => void renderOutbox());
  void renderOutbox();
}
