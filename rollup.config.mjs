// Browser bundles. Only src/sdk and src/components are reachable from these entries: src/server never is.
//   dist/aqjb-embed.js        ES module: registers every element; heavier parts are chunks loaded from next to it
//   dist/aqjb-embed.iife.js   one classic script for CMSs that cannot use modules
//   dist/aqjb-sdk.js          the SDK alone (no DOM)
//   dist/aqjb-region-picker.js the region picker alone, for a page that shows only the picker (its own build)
//   dist/manifest.json        every file with its size and SRI hash (sha384), for the embedding snippet
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import minifyHTML from '@lit-labs/rollup-plugin-minify-html-literals';

const onwarn = (w, warn) => {
  // zod ships misplaced /*@__PURE__*/ annotations and an internal import cycle; neither affects the output.
  if (w.code === 'INVALID_ANNOTATION' && w.id?.includes('/node_modules/')) return;
  if (w.code === 'CIRCULAR_DEPENDENCY' && w.ids?.every((id) => id.includes('/node_modules/'))) return;
  warn(w);
};

/**
 * Chunks of the ES build by what loads together. Left to itself rollup makes one chunk per set of importers: about
 * twenty files through one report, each compressed alone, which costs some 4 KB of gzip against fewer, larger files.
 *  - aqjb-embed.js (src/components/embed.ts): the prefetch (about 1 KB: it asks for the notice and opens the receipt)
 *    and a dynamic import of the first screen. The prefetch in the entry itself, not a chunk behind it: that chunk was
 *    one more round trip before the notice's requests could leave. The first screen in a chunk: a browser evaluates
 *    nothing of a module graph before it has compiled all of it, so the notice's requests leave before the first
 *    screen's 60 KB are compiled, not after.
 *  - first-screen: everything the first screen (src/components/index.ts) imports statically. No schema library: the
 *    gate shows the prefetched notice before zod has loaded.
 *  - real-name: the form's 「您的信息」 section (name, mobile with the SMS code, ID number, consent), its texts, the SMS
 *    code controller and the SMS route with its schemas, loaded when 实名举报 is chosen (before the place step) or
 *    the form is in real-name mode: an anonymous report never downloads it.
 *  - shared: everything after the first screen that a report needs, loaded while the notice is read: the intake's
 *    later steps with the report form and the region picker; zod and the schemas, the contract's routes of the
 *    notice, regions, dictionaries and filing, the SDK's methods after the notice, validation and error texts and the
 *    loader, the notice's proof-of-work solver, and the upload element with the SDK's upload and media code. One file,
 *    not four (intake steps, shared, evidence-upload, pow): each file is compressed alone, and apart they cost 3.7 KB
 *    gzip more over a report (2.2 for the last three, 1.5 for the steps). The MP4, PNG and Exif GPS readers stay
 *    apart, loaded with the first video, PNG or photo whose location is kept; the lookup's routes (they bring the
 *    progress schema) and the staff schemas stay out: no report needs them. The gate needs this file too (the
 *    notice's schemas, the confirmation's route, the proof-of-work): when it does not arrive, the gate says so and
 *    offers a retry, a reload and the hotline. A page with the picker or the form alone loads the intake's steps with
 *    them.
 * The lookup, English and the transition keep their own chunks: a page can use each alone. A page with only the lookup
 * loads aqjb-lookup.js instead (its own build, below): through this build it would load the intake's first screen
 * and, with `shared`, its later steps.
 * A module no pattern names is placed by rollup as before.
 */
const CHUNK_GROUPS = [
  ['real-name', /\/src\/(components\/(report-form\/reporter|controllers\/sms-cooldown|locales\/zh-CN\/reporter)|sdk\/(contract|schemas)\/sms)\./],
  ['shared', /\/src\/components\/(intake\/(intake-steps|review|receipt)|report-form\/|region-picker\/|controllers\/draft-store|locales\/zh-CN\/(mode|region|review|receipt|form|picker)\.)/],
  ['shared', /\/node_modules\/(zod|ky)\/|\/src\/(sdk\/(schemas\/(?!progress|staff)|contract\/(notice|regions|dictionaries|reports|uploads|route)|client-later|issues|report-code|id-number|pow|upload|media\/(?!mp4|png|exif-gps))|messages\/zh-CN\.|components\/(evidence-upload\/|(internal\/(form-errors|form-fields|field-styles)|controllers\/(load|typing-pause|upload-queue)|locales\/(errors|format|zh-CN\/upload))\.))/],
];
const EMBED_ENTRY = path.resolve('src/components/embed.ts');
const FIRST_SCREEN = path.resolve('src/components/index.ts');

function manualChunks(id, { getModuleInfo }) {
  const file = id.replaceAll('\\', '/');
  // The entry's own imports (the prefetch) go into the entry file (a manual chunk that holds an entry module is that
  // entry's file): the first screen imports them from it. Left unassigned, rollup would move them into the first
  // screen's chunk, a dependency of theirs, and the entry would import that chunk statically.
  if (staticallyFrom(EMBED_ENTRY, getModuleInfo).has(id)) return 'aqjb-embed';
  if (staticallyFrom(FIRST_SCREEN, getModuleInfo).has(id)) return 'first-screen';
  for (const [name, pattern] of CHUNK_GROUPS) if (pattern.test(file)) return name;
  return undefined;
}

/** The modules `entry` imports statically, directly or not (itself included). */
const reachable = new Map();
function staticallyFrom(entry, getModuleInfo) {
  if (reachable.has(entry)) return reachable.get(entry);
  const ids = new Set();
  const visit = (id) => {
    if (ids.has(id)) return;
    ids.add(id);
    for (const dep of getModuleInfo(id)?.importedIds ?? []) visit(dep);
  };
  visit(entry);
  reachable.set(entry, ids);
  return ids;
}

/**
 * The picker-only entry (src/components/picker-only.ts), built as the embed's: the entry file holds the prefetch (its
 * list request and first map leave as it runs) and imports `first-draw`, the picker with its static imports, in one
 * file that a page may preload. No zod or ky: the first map is drawn from the prefetched list and geometry, and the
 * SDK's later methods with the regions' routes and schemas come after that frame, to check the list (region-tree.ts).
 * They were in first-draw until then, and a first map waited for their 17 KB gzip to be compiled and run. What the
 * picker needs later (the SDK, English, the transition) stays in chunks. Its own build: the embed's first-screen file
 * holds the intake and the gate, which a picker page must not load.
 */
const PICKER_ENTRY = path.resolve('src/components/picker-only.ts');
const PICKER_FIRST_DRAW = [path.resolve('src/components/region-picker/region-picker.ts')];
/** What checks the first list, in one chunk loaded after the first map: the SDK's later methods, the regions' routes. */
const PICKER_CHECK = ['check', [path.resolve('src/sdk/client-later.ts'), path.resolve('src/sdk/contract/regions.ts')]];

/**
 * The lookup-only entry (src/components/lookup-only.ts), built as the picker's: the entry file, and `first-view`, the
 * lookup with everything it imports statically, which a page may preload. Its own build: through aqjb-embed.js a
 * lookup page also loads the embed's first screen (the intake and the gate) and one chunk after another behind it.
 */
const LOOKUP_ENTRY = path.resolve('src/components/lookup-only.ts');
const LOOKUP_FIRST_VIEW = [path.resolve('src/components/progress-lookup/progress-lookup.ts')];

/**
 * The build of a page entry of its own (the picker's, the lookup's): the entry file `name`.js with what the entry
 * imports statically, `chunks/<prefix>-<first>` with what `firstModules` import statically (the chunk the entry
 * imports as it starts; PRELOADED names it), `chunks/<prefix>-<next>` with what `[next, nextModules]` import
 * statically (the next thing the page loads, in one file rather than a chain of small ones), and the rest in
 * `chunks/<prefix>-*` as rollup places it.
 */
function pageEntryBuild(name, entry, prefix, first, firstModules, [next, nextModules] = ['', []]) {
  const manualChunks = (id, { getModuleInfo }) => {
    const from = (modules) => modules.some((m) => staticallyFrom(m, getModuleInfo).has(id));
    if (staticallyFrom(entry, getModuleInfo).has(id)) return name;
    if (from(firstModules)) return first;
    return from(nextModules) ? next : undefined;
  };
  return {
    input: { [name]: entry },
    preserveEntrySignatures: 'allow-extension',
    output: { dir: 'dist', format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: `chunks/${prefix}-[name]-[hash].js`, manualChunks },
    plugins: [...plugins(), manifest()],
    onwarn,
  };
}

const plugins = () => [
  nodeResolve({ browser: true, exportConditions: ['production'] }),
  typescript({
    tsconfig: './tsconfig.json',
    noEmit: false,
    declaration: false,
    sourceMap: true,
    include: ['src/**/*.ts'],
    exclude: ['src/server/**'],
  }),
  // The whitespace of our html`` and css`` templates, which terser leaves alone: about a tenth of every chunk.
  minifyHTML({ include: ['src/components/**'], failOnError: true }),
  terser({ module: true, format: { comments: false }, compress: { passes: 2 } }),
];

/** The chunk each entry imports as it starts, which a page may preload: manifest.json names the entry. */
const PRELOADED = { 'first-screen': 'aqjb-embed.js', 'first-draw': 'aqjb-region-picker.js', 'first-view': 'aqjb-lookup.js' };

/** Collects every emitted file across the builds and writes dist/manifest.json once the last build is done. */
const files = new Map();
let pending = 5;
const manifest = () => ({
  name: 'aqjb-manifest',
  generateBundle(_options, bundle) {
    for (const [name, chunk] of Object.entries(bundle)) {
      if (name.endsWith('.map')) continue;
      const bytes = Buffer.from(chunk.type === 'chunk' ? chunk.code : chunk.source);
      files.set(name, {
        file: name,
        bytes: bytes.length,
        gzipBytes: gzipSync(bytes, { level: 9 }).length,
        integrity: `sha384-${createHash('sha384').update(bytes).digest('base64')}`,
        // The chunk an entry imports as it starts: a page may preload it (see README, Embedding).
        ...(chunk.type === 'chunk' && Object.hasOwn(PRELOADED, chunk.name) ? { preloadFor: PRELOADED[chunk.name] } : {}),
      });
    }
    if (--pending === 0) {
      const list = [...files.values()].sort((a, b) => a.file.localeCompare(b.file));
      this.emitFile({ type: 'asset', fileName: 'manifest.json', source: JSON.stringify({ files: list }, null, 2) + '\n' });
    }
  },
});

export default [
  {
    input: { 'aqjb-sdk': 'src/sdk/index.ts' },
    // Lazy parts (client-later, upload, schemas) import from the entry itself instead of from a shared chunk behind it.
    preserveEntrySignatures: 'allow-extension',
    output: { dir: 'dist', format: 'es', sourcemap: true, entryFileNames: '[name].js' },
    plugins: [...plugins(), manifest()],
    onwarn,
  },
  {
    input: { 'aqjb-embed': EMBED_ENTRY },
    preserveEntrySignatures: 'allow-extension',
    output: { dir: 'dist', format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', manualChunks },
    plugins: [...plugins(), manifest()],
    onwarn,
  },
  pageEntryBuild('aqjb-region-picker', PICKER_ENTRY, 'picker', 'first-draw', PICKER_FIRST_DRAW, PICKER_CHECK),
  pageEntryBuild('aqjb-lookup', LOOKUP_ENTRY, 'lookup-only', 'first-view', LOOKUP_FIRST_VIEW),
  {
    input: 'src/components/index.ts',
    output: { file: 'dist/aqjb-embed.iife.js', format: 'iife', name: 'AqjbEmbed', sourcemap: true, inlineDynamicImports: true },
    plugins: [...plugins(), manifest()],
    onwarn,
  },
];
