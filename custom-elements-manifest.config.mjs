// `npm run manifest` builds custom-elements.json from the JSDoc on the elements, then README's element tables.
// The base classes are analysed too, so inherited attributes (api-base, locale, text-size) are listed.
export default {
  globs: ['src/components/**/*.component.ts', 'src/components/internal/aqjb-element.ts', 'src/components/internal/client.ts'],
  outdir: process.env.CEM_OUTDIR ?? '.',
  litelement: true,
  dependencies: false,
  packagejson: false,
};
