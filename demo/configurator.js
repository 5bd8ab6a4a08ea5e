// The embed configurator: every option becomes an attribute or a --aqjb-* custom property on a live preview, and
// the snippet a portal pastes, SRI included: the script tag's own, and an import map with the hashes of the files it
// loads later, with the policy hash that admits that map. Everything is set through the DOM (no inline styles under
// the CSP).
import { createClient } from '/dist/aqjb-sdk.js';
import { attr, cspHash, integrityImportMap, preloadLinks } from '/importmap.js';

const $ = (id) => document.getElementById(id);
const api = document.querySelector('meta[name="aqjb-api"]').content;
const scriptBase = new URL('/dist/', location.href).href;
$('api-base').value = api;
$('script-base').value = scriptBase;
$('geometry-base').value = new URL('/geometry/', location.href).href;

const manifest = await fetch('/dist/manifest.json').then((r) => r.json());
const sri = (file) => manifest.files.find((f) => f.file === file)?.integrity ?? '';

try {
  const { regions } = await createClient({ baseUrl: api }).listRegions();
  for (const r of regions.filter((r) => r.hasChildren)) $('province').append(Object.assign(document.createElement('option'), { value: r.code, textContent: r.name }));
  $('province').value = '410000';
} catch {
  // The list stays at 全国; the preview still works.
}

const intake = document.createElement('aqjb-intake');
$('preview').append(intake);

function options() {
  const form = new FormData($('options'));
  return {
    apiBase: String(form.get('api-base') || api),
    scriptBase: String(form.get('script-base') || scriptBase).replace(/\/?$/, '/'),
    geometryBase: String(form.get('geometry-base') ?? '').trim(),
    province: String(form.get('province') ?? ''),
    accent: String(form.get('accent')),
    radius: String(form.get('radius')),
    textSize: String(form.get('text-size')),
    locale: String(form.get('locale') ?? ''),
    draftStorage: String(form.get('draft-storage')),
  };
}

/** The script's folder as a URL (nothing the user types can break out of the snippet's markup). */
const folder = (text) => {
  try {
    return new URL(text, location.href).href;
  } catch {
    return scriptBase;
  }
};

/** The import map's policy hash; empty where the browser cannot hash (a page on plain http that is not localhost). */
const hashOf = (text) => (crypto.subtle ? cspHash(text) : Promise.resolve(''));

let updates = 0;
async function update() {
  const o = options();
  const attrs = { 'api-base': o.apiBase, 'geometry-base': o.geometryBase, province: o.province, 'text-size': o.textSize === 'large' ? 'large' : '', locale: o.locale, 'draft-storage': o.draftStorage === 'session' ? '' : o.draftStorage };
  for (const [name, value] of Object.entries(attrs)) value ? intake.setAttribute(name, value) : intake.removeAttribute(name);
  intake.style.setProperty('--aqjb-color-accent', o.accent);
  intake.style.setProperty('--aqjb-radius', o.radius);
  $('snippet-css').textContent = `aqjb-intake, aqjb-progress-lookup {\n  --aqjb-color-accent: ${o.accent};\n  --aqjb-radius: ${o.radius};\n}`;

  const base = folder(o.scriptBase);
  const importMap = integrityImportMap(manifest, base);
  const current = ++updates;
  const mapHash = await hashOf(importMap);
  if (current !== updates) return; // a later change has written the snippet
  const attrText = Object.entries(attrs).filter(([, v]) => v).map(([k, v]) => ` ${k}="${attr(v)}"`).join('');
  // The page's policy must let it fetch from the API and, for the map, from where the geometry is.
  const connect = [...new Set([o.apiBase, o.geometryBase].filter(Boolean).map((u) => new URL(u, location.href).origin))];
  $('snippet').textContent = [
    `<script type="importmap">${importMap}</script>`,
    ...preloadLinks(manifest, base),
    `<script type="module" src="${attr(base)}aqjb-embed.js"`,
    `        integrity="${sri('aqjb-embed.js')}" crossorigin="anonymous"></script>`,
    `<aqjb-intake${attrText}>`,
    `  <p>您的浏览器版本过低，无法使用在线举报。请拨打安全生产举报投诉电话 12350。</p>`,
    `</aqjb-intake>`,
  ].join('\n');
  $('csp-note').textContent = `script-src ${new URL(base).origin} ${mapHash || "'sha256-…'（请在 HTTPS 或本机地址打开本页以算出）"}; connect-src ${connect.join(' ')}`;
}

$('options').addEventListener('input', () => void update());
$('options').addEventListener('change', () => void update());
$('copy').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText($('snippet').textContent);
    $('copy-status').textContent = '已复制。';
  } catch {
    $('copy-status').textContent = '无法自动复制，请手动选择代码复制。';
  }
});
await update();
