// `npm run manifest` builds custom-elements.json from the JSDoc on the elements, then README's element tables.
export default {
  globs: ['src/components/**/*.component.ts'],
  exclude: ['src/components/internal/**', 'src/components/controllers/**'],
  outdir: '.',
  litelement: true,
  dependencies: false,
  packagejson: false,
};
