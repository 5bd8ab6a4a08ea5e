export function integrityImportMap(
  manifest: { files: { file: string; integrity: string }[] },
  base: string,
  include?: (file: string) => boolean,
): string;
export function cspHash(text: string): Promise<string>;
export function attr(value: string): string;
export function preloadLinks(manifest: { files: { file: string; integrity: string; preloadFor?: string }[] }, base: string, entry?: string): string[];
