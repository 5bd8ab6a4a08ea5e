// Browser bundles. Only src/sdk (and, later, src/components) are reachable from these entries: src/server never is.
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
  terser({ module: true, format: { comments: false } }),
];

export default [
  {
    input: { 'aqjb-sdk': 'src/sdk/index.ts' },
    output: { dir: 'dist', format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    plugins: plugins(),
    onwarn,
  },
];
