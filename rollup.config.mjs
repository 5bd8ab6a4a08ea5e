// Browser bundles. Only src/sdk and src/components are reachable from these entries: src/server never is.
//   dist/aqjb-embed.js        ES module: registers every element; heavier parts are chunks loaded from next to it
//   dist/aqjb-embed.iife.js   one classic script for CMSs that cannot use modules
//   dist/aqjb-sdk.js          the SDK alone (no DOM)
//   dist/manifest.json        every file with its size and SRI hash (sha384), for the embedding snippet
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const onwarn = (w, warn) => {
  // zod ships misplaced /*@__PURE__*/ annotations and an internal import cycle; neither affects the output.
  if (w.code === 'INVALID_ANNOTATION' && w.id?.includes('/node_modules/')) return;
  if (w.code === 'CIRCULAR_DEPENDENCY' && w.ids?.every((id) => id.includes('/node_modules/'))) return;
  warn(w);
};

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
  terser({ module: true, format: { comments: false }, compress: { passes: 2 } }),
];

/** Collects every emitted file across the builds and writes dist/manifest.json once the last build is done. */
const files = new Map();
let pending = 3;
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
    output: { dir: 'dist', format: 'es', sourcemap: true, entryFileNames: '[name].js' },
    plugins: [...plugins(), manifest()],
    onwarn,
  },
  {
    input: { 'aqjb-embed': 'src/components/index.ts' },
    // The first screen lives in aqjb-embed.js itself rather than behind a one-line re-export: one request fewer
    // before the notice (80–140 ms at 4× CPU throttling).
    preserveEntrySignatures: 'allow-extension',
    output: { dir: 'dist', format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    plugins: [...plugins(), manifest()],
    onwarn,
  },
  {
    input: 'src/components/index.ts',
    output: { file: 'dist/aqjb-embed.iife.js', format: 'iife', name: 'AqjbEmbed', sourcemap: true, inlineDynamicImports: true },
    plugins: [...plugins(), manifest()],
    onwarn,
  },
];
