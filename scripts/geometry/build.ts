// The geometry pipeline of <aqjb-region-picker>: a province's own GeoJSON in, the picker's files out.
//
//   npm run geometry -- --from <GeoJSON folder> --out <folder> [--sizes s,l] [--quiet]
//
// Input: one GeoJSON FeatureCollection per parent, named by the parent's code (`000000.geojson` for the national
// map, `410000.geojson` for Henan's prefectures, `410100.json` for Zhengzhou's counties); a file not named by a
// code gets the parent most of its coded features share. Each feature carries a code (`id`, `properties.adcode`,
// `properties.code` or `properties.id`) and/or `properties.name`.
//
// Output: `<parent>.s.json` (phones) and `<parent>.l.json` (wider screens) per parent, and a match report on
// stdout: matched (by code, by name within the parent, aliased), shapes without a current code, codes without a
// shape. Shapes are matched against the 2023 统计用区划代码 in src/server/data/regions.json. d3-geo and topojson
// run here only; nothing of them reaches the browser.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { createRegionIndex, type RegionIndex } from '../../src/server/regions.js';
import type { GeometryFile } from '../../src/components/region-picker/geometry.js';
import { ALIASES, type Alias } from './aliases.js';
import { SIZES, encode, type SizeSpec } from './encode.js';
import { formatReport, matchShapes, type MatchReport, type Ring, type SourceShape } from './match.js';

export const NATIONAL = '000000';

export interface BuildOptions {
  from: string;
  index?: RegionIndex;
  aliases?: readonly Alias[];
  sizes?: Partial<Record<'s' | 'l', SizeSpec>>;
}

export interface BuildResult {
  /** File name → content. */
  files: Map<string, GeometryFile>;
  reports: MatchReport[];
  /** Report lines as printed. */
  text: string;
  droppedRings: number;
}

interface Feature {
  id?: string | number;
  properties?: Record<string, unknown> | null;
  geometry: { type: string; coordinates: unknown } | null;
}

export function readShapes(json: { features?: Feature[] }): SourceShape[] {
  return (json.features ?? []).flatMap((f): SourceShape[] => {
    const props = f.properties ?? {};
    const rawCode = [f.id, props['adcode'], props['code'], props['id']].find((v) => v !== undefined && v !== null && v !== '');
    const code = rawCode === undefined ? undefined : String(rawCode);
    const name = String(props['name'] ?? '').trim();
    const g = f.geometry;
    if (!g) return [];
    const polygons =
      g.type === 'Polygon' ? [g.coordinates as Ring[]] : g.type === 'MultiPolygon' ? (g.coordinates as Ring[][]) : undefined;
    if (!polygons) return [];
    return [{ code: code && /^\d{6}$/.test(code) ? code : undefined, name, polygons }];
  });
}

function parentOf(fileName: string, shapes: readonly SourceShape[], index: RegionIndex): string {
  const named = /^(\d{6})\b/.exec(fileName)?.[1];
  if (named) return named === NATIONAL ? '' : named;
  const votes = new Map<string, number>();
  for (const s of shapes) {
    const record = s.code ? index.get(s.code) : undefined;
    if (record) votes.set(record.parent ?? '', (votes.get(record.parent ?? '') ?? 0) + 1);
  }
  const best = [...votes].sort((a, b) => b[1] - a[1])[0];
  if (!best) throw new Error(`${fileName}: name the file by its parent code (e.g. 410100.geojson): no feature has a known code`);
  return best[0];
}

/** Names on the national map, as on printed maps: 河南, 内蒙古, 香港. */
export function mapLabel(name: string, national: boolean): string {
  if (national) return name.replace(/(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$/, '');
  return name.replace(/^(.{2}).*自治州$/, '$1州');
}

export function buildGeometry({ from, index = createRegionIndex(), aliases = ALIASES, sizes = SIZES }: BuildOptions): BuildResult {
  const files = new Map<string, GeometryFile>();
  const reports: MatchReport[] = [];
  const lines: string[] = [];
  let droppedRings = 0;
  const inputs = readdirSync(from)
    .filter((f) => /\.(?:geo)?json$/i.test(f))
    .sort();
  for (const name of inputs) {
    const shapes = readShapes(JSON.parse(readFileSync(path.join(from, name), 'utf8')) as { features?: Feature[] });
    const parent = parentOf(name, shapes, index);
    const national = parent === '';
    const matched = matchShapes(shapes, parent, index, aliases);
    reports.push(matched.report);
    lines.push(formatReport(matched.report, parent ? (index.get(parent)?.name ?? '?') : '全国'));
    for (const [key, size] of Object.entries(sizes) as ['s' | 'l', SizeSpec][]) {
      const { file, droppedRings: dropped } = encode({
        parent,
        shapes: matched.shapes,
        size,
        national,
        label: (n) => mapLabel(n, national),
      });
      if (key === 's') droppedRings += dropped;
      files.set(`${parent || NATIONAL}.${key}.json`, file);
    }
  }
  lines.push(`${reports.length} maps, ${files.size} files; ${droppedRings} degenerate or too-small rings dropped (phone size)`);
  return { files, reports, text: lines.join('\n'), droppedRings };
}

export function writeGeometry(result: BuildResult, out: string) {
  mkdirSync(out, { recursive: true });
  for (const [name, file] of result.files) writeFileSync(path.join(out, name), `${JSON.stringify(file)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { from: { type: 'string' }, out: { type: 'string' }, sizes: { type: 'string', default: 's,l' }, quiet: { type: 'boolean', default: false } },
  });
  if (!values.from || !values.out) {
    console.error('usage: npm run geometry -- --from <GeoJSON folder> --out <folder> [--sizes s,l]');
    process.exit(2);
  }
  const wanted = values.sizes.split(',') as ('s' | 'l')[];
  const result = buildGeometry({ from: values.from, sizes: Object.fromEntries(wanted.map((k) => [k, SIZES[k]])) });
  writeGeometry(result, values.out);
  console.log(values.quiet ? result.text.split('\n').at(-1) : result.text);
}
