/** What a built file is made of, by package or source folder, read from its source map. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSize } from './bytes.js';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Where a source file's bytes are grouped: a package, a locale's catalogs, or the source folder. */
function sourceGroup(source: string): string {
  const rel = source.replace(/^(\.\.\/)+/, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(rel);
  if (pkg) return pkg[1]!;
  const locale = /^(src\/(?:components\/locales|messages))\/([A-Za-z-]+)(?:\.ts$|\/)/.exec(rel);
  if (locale) return `${locale[1]}/${locale[2]}`;
  return path.posix.dirname(rel);
}

/**
 * What a built file is made of, from its source map: each generated segment's bytes (UTF-8: Chinese text is 3 bytes
 * a character) go to the source it maps to. Minified bytes add up exactly; gzip does not, so each group's gzip is
 * estimated by compressing its own code alone and sharing the file's real gzip size in proportion.
 */
export function bytesBySource(file: string): { group: string; bytes: number; gzipShare: number }[] {
  const code = readFileSync(file, 'utf8');
  const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[]; mappings: string };
  const pieces = new Map<string, string[]>();
  const add = (group: string, text: string) => {
    if (text) (pieces.get(group) ?? pieces.set(group, []).get(group)!).push(text);
  };
  const lines = code.split('\n');
  let source = 0;
  // A line that starts without a mapping continues the previous one's code (multi-line CSS and HTML templates).
  let last = '(unmapped)';
  map.mappings.split(';').forEach((mapped, lineNo) => {
    const line = lines[lineNo] ?? '';
    const segments: { col: number; source?: number }[] = [];
    let col = 0;
    for (const segment of mapped ? mapped.split(',') : []) {
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of segment) {
        const digit = BASE64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      col += fields[0]!;
      if (fields.length >= 4) source += fields[1]!;
      segments.push({ col, source: fields.length >= 4 ? source : undefined });
    }
    add(last, `${line.slice(0, segments[0]?.col ?? line.length)}\n`);
    segments.forEach((seg, i) => {
      last = seg.source === undefined ? '(unmapped)' : sourceGroup(map.sources[seg.source]!);
      add(last, line.slice(seg.col, segments[i + 1]?.col ?? line.length));
    });
  });
  const total = gzipSize(Buffer.from(code));
  const groups = [...pieces].map(([group, texts]) => {
    const joined = Buffer.from(texts.join(''));
    return { group, bytes: joined.length, alone: gzipSize(joined) };
  });
  const aloneSum = groups.reduce((n, g) => n + g.alone, 0);
  return groups
    .map(({ group, bytes, alone }) => ({ group, bytes, gzipShare: (total * alone) / aloneSum }))
    .sort((a, b) => b.bytes - a.bytes);
}
