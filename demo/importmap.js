// Subresource integrity for the files the embed script loads by itself. The script tag's `integrity` covers
// aqjb-embed.js only; its later parts (dist/chunks/) are dynamic imports, which a browser checks against the
// `integrity` section of an import map (Chromium 127+, Safari 18+, Firefox 138+; older browsers load them unchecked).
// An import map is an inline script, so a strict policy admits it by its hash: the text below, byte for byte.
// Used by the configurator (in the browser) and by the demo server (in Node).

/**
 * The import map, as one line of JSON: every file of `manifest` that `include` keeps, keyed by its URL under `base`
 * (absolute for a portal loading from a CDN; `/dist/` for a page on the same origin).
 * @param {{ files: { file: string; integrity: string }[] }} manifest dist/manifest.json
 * @param {string} base where dist/ is served, ending in `/`
 * @param {(file: string) => boolean} [include] the embed's lazily loaded files by default
 * @returns {string}
 */
export function integrityImportMap(manifest, base, include = (file) => file.startsWith('chunks/') && file.endsWith('.js')) {
  const integrity = Object.fromEntries(manifest.files.filter((f) => include(f.file)).map((f) => [base + f.file, f.integrity]));
  // `<` escaped: no URL can end the inline script early.
  return JSON.stringify({ integrity }).replaceAll('<', '\\u003c');
}

/**
 * The policy source that admits this inline text: `'sha256-…'` for `script-src`.
 * @param {string} text
 * @returns {Promise<string>}
 */
export async function cspHash(text) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return `'sha256-${btoa(String.fromCharCode(...digest))}'`;
}

/**
 * `value` as the text of a double-quoted HTML attribute.
 * @param {string} value
 * @returns {string}
 */
export const attr = (value) => value.replaceAll('&', '&amp;').replaceAll('"', '&quot;');

/**
 * The `<link rel="modulepreload">` tags for the chunk `entry` imports as it starts (manifest.json's `preloadFor`):
 * the browser fetches and compiles it while the page is still being parsed, instead of after the script has run.
 * Optional: without it the widget works the same, only later. Each link carries its file's SRI hash (a preload
 * without the same integrity as the import is not used, and the file is fetched twice).
 * @param {{ files: { file: string; integrity: string; preloadFor?: string }[] }} manifest dist/manifest.json
 * @param {string} base where dist/ is served, ending in `/`
 * @param {string} [entry] the script the page loads
 * @returns {string[]}
 */
export function preloadLinks(manifest, base, entry = 'aqjb-embed.js') {
  return manifest.files
    .filter((f) => f.preloadFor === entry)
    .map((f) => `<link rel="modulepreload" href="${attr(base + f.file)}" integrity="${attr(f.integrity)}" crossorigin="anonymous">`);
}
