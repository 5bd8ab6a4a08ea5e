// `npm run manifest` builds custom-elements.json from the JSDoc on the elements, then README's element tables.
// The base classes are analysed too, so inherited attributes (api-base, locale, text-size) are listed.
export default {
  globs: ['src/components/**/*.component.ts', 'src/components/internal/aqjb-element.ts', 'src/components/internal/client.ts'],
  outdir: process.env.CEM_OUTDIR ?? '.',
  litelement: true,
  dependencies: false,
  packagejson: false,
  plugins: [
    {
      // `AqjbElement.emit(name, …)` dispatches `new CustomEvent(name, …)`, which the analyser lists as an event called
      // "name" on every element. Our events are the documented `aqjb-*` ones; nothing else is fired.
      name: 'aqjb-events-only',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules) {
          for (const decl of mod.declarations ?? []) {
            if (decl.events) decl.events = decl.events.filter((e) => e.name.startsWith('aqjb-'));
          }
        }
      },
    },
  ],
};
