/**
 * Reads the picker's geometry files (built by scripts/geometry): one per parent code, pre-projected to integer
 * screen units, arcs shared between neighbours and delta-encoded, so the browser only adds numbers and writes
 * SVG path data. No projection or topology code reaches the browser.
 */
import { prefetchingFetch } from '../internal/prefetch.js';
import { geometryUrl } from './geometry-url.js';

/** One shape of a geometry file: polygons → rings → arc indices (`~i` = arc `i` reversed), as in TopoJSON. */
export interface GeometryRegion {
  /** Current statistical division code; absent for a shape whose old code is no longer valid. */
  c?: string;
  /** Name on the map (short form at national level). */
  n: string;
  p: number[][][];
  /** Label point. */
  l: [number, number];
  /** Room for the label: width of the inside stretch through the label point. */
  r?: number;
  /** 1 when the shape is too small to tap at this size: the picker also offers it as a button. */
  s?: 1;
}

export interface GeometryFile {
  v: 1;
  /** Parent code ('000000' for the national map). */
  code: string;
  w: number;
  h: number;
  /** The projection, kept so that a GPS position can be placed later (d3-geo parameters). */
  proj: { type: string; rotate: number[]; parallels?: number[]; scale: number; translate: number[] };
  /** Arcs: first point absolute, then deltas, flattened `[x, y, dx, dy, …]`. */
  arcs: number[][];
  regions: GeometryRegion[];
  /** Drawn but not choosable: the 南海诸岛 inset's frame and islands, in the same units. */
  inset?: { box: [number, number, number, number]; p: number[][][] };
}

export interface MapShape {
  code: string | undefined;
  name: string;
  d: string;
  x: number;
  y: number;
  /** Width available for the name at the label point. */
  room: number;
  small: boolean;
}

export interface MapData {
  w: number;
  h: number;
  shapes: MapShape[];
  inset: { box: [number, number, number, number]; d: string } | undefined;
}

export { NATIONAL, sizeFor } from './geometry-url.js';

/**
 * The shapes whose names go on the map, at `font` map units a character (CJK names are about 1 em a character). A
 * name needs the room across its own shape and must not overlap a name already placed; the chosen place goes first,
 * then the roomiest. A name left off keeps its accessible name, and the list.
 */
export function labelled(shapes: MapShape[], font: number, chosen: Set<string>): Set<MapShape> {
  const isChosen = (s: MapShape) => chosen.has(s.code ?? '');
  const placed = new Set<MapShape>();
  const boxes: number[][] = [];
  const order = shapes.filter((s) => !s.small).sort((a, b) => Number(isChosen(b)) - Number(isChosen(a)) || b.room - a.room);
  for (const s of order) {
    const half = (s.name.length * font) / 2;
    if (!isChosen(s) && half * 2 > s.room * 1.3) continue;
    // The box an engine gives the text, plus a gap so that two names never touch: Firefox's text box is the font's
    // ascent plus descent (1.53 em for Noto Sans CJK, against Chromium's 1.12 em) and is rounded outwards.
    const pad = font * 0.15;
    const box = [s.x - half - pad, s.y - font * 0.8, s.x + half + pad, s.y + font * 0.8];
    if (boxes.some((b) => b[0]! < box[2]! && box[0]! < b[2]! && b[1]! < box[3]! && box[1]! < b[3]!)) continue;
    boxes.push(box);
    placed.add(s);
  }
  return placed;
}

export async function loadMap(base: string, code: string, size: 's' | 'l', signal?: AbortSignal): Promise<MapData> {
  // Through the page's prefetch: on a page with the picker alone, this file was asked for as the script started.
  const response = await prefetchingFetch(geometryUrl(base, code, size), { signal });
  if (!response.ok) throw new Error(`geometry ${response.status}`);
  const file = (await response.json()) as GeometryFile;
  // The map's data is in: scripts/bench-map.ts times the drawing from here, as ECharts' from its init.
  performance.mark('aqjb-map-data');
  return decode(file);
}

export function decode(file: GeometryFile): MapData {
  const arcs = file.arcs.map(absolute);
  const path = (polygons: number[][][]) => polygons.map((rings) => rings.map((ring) => ringPath(ring, arcs)).join('')).join('');
  return {
    w: file.w,
    h: file.h,
    shapes: file.regions.map((r) => ({ code: r.c, name: r.n, d: path(r.p), x: r.l[0], y: r.l[1], room: r.r ?? 0, small: r.s === 1 })),
    inset: file.inset && { box: file.inset.box, d: path(file.inset.p) },
  };
}

function absolute(flat: number[]): number[] {
  const out = flat.slice();
  for (let i = 2; i < out.length; i++) out[i]! += out[i - 2]!;
  return out;
}

/** One closed ring as SVG path data, relative moves after the first point. */
function ringPath(ring: number[], arcs: number[][]): string {
  const points: number[] = [];
  for (const index of ring) {
    const arc = arcs[index < 0 ? ~index : index] ?? [];
    const n = arc.length / 2;
    // Consecutive arcs share their joining point: skip it on every arc but the first.
    for (let k = points.length ? 1 : 0; k < n; k++) {
      const j = index < 0 ? n - 1 - k : k;
      points.push(arc[2 * j]!, arc[2 * j + 1]!);
    }
  }
  if (points.length < 6) return '';
  let d = `M${points[0]} ${points[1]}l`;
  for (let i = 2; i < points.length; i += 2) d += `${points[i]! - points[i - 2]!} ${points[i + 1]! - points[i - 1]!} `;
  return `${d}z`;
}
