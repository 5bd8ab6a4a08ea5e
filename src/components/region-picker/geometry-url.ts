// Apart from geometry.ts (which decodes and places the shapes) and free of lit: the page's prefetch
// (components/internal/prefetch.ts), which runs before anything else, asks for the same file the picker will.

/** The national map's file name. */
export const NATIONAL = '000000';

/** `s` at phone widths, `l` on wider screens: the phone file carries fewer points. */
export const sizeFor = (width: number): 's' | 'l' => (width < 600 ? 's' : 'l');

/** The geometry file of the level below `code` ('' for the national map) under `base` (the `geometry-base` attribute). */
export const geometryUrl = (base: string, code: string, size: 's' | 'l'): string =>
  new URL(`${code || NATIONAL}.${size}.json`, new URL(base, document.baseURI)).href;
