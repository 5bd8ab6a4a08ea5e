// Turns matched shapes into one picker geometry file: projected once, here (Lambert conformal conic, the
// projection of China's standard maps), rings wound one way, degenerate rings dropped, borders shared between
// neighbours as arcs, simplified for the screen size, rounded to integer units and delta-encoded.
import { geoConicConformal } from 'd3-geo';
import topojsonServer, { type TopoGeometry } from 'topojson-server';
import topojsonSimplify from 'topojson-simplify';
import type { GeometryFile, GeometryRegion } from '../../src/components/region-picker/geometry.js';
import type { MatchedShape, Position, Ring } from './match.js';

export interface SizeSpec {
  /** Width in file units (the SVG viewBox). */
  width: number;
  /** Points whose triangle is smaller than this (units²) are dropped. */
  minWeight: number;
  /** Rings smaller than this (units²) are dropped, unless a unit has nothing larger. */
  minRingArea: number;
  /** A unit whose shape fits in this many units is also offered as a button. */
  smallUnder: number;
}

/** `s` for phones (≈ 360 px wide), `l` for wider screens; one file unit is about half a CSS pixel. */
export const SIZES: Record<'s' | 'l', SizeSpec> = {
  s: { width: 720, minWeight: 6, minRingArea: 30, smallUnder: 24 },
  l: { width: 1600, minWeight: 10, minRingArea: 40, smallUnder: 40 },
};

/** Standard parallels of China's national maps; province and city maps take theirs from their own extent. */
const NATIONAL_PARALLELS: [number, number] = [25, 47];
const NATIONAL_MERIDIAN = 105;

type Planar = [number, number];

/** Shoelace area in screen units (y down): positive for a ring that runs clockwise on screen. */
export function ringArea(ring: readonly Planar[]): number {
  let sum = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const a = ring[i]!;
    const b = ring[(i + 1) % n]!;
    sum += a[0] * b[1] - b[0] * a[1];
  }
  return sum / 2;
}

/**
 * Exterior rings clockwise on screen, holes counter-clockwise (so `fill-rule: nonzero` draws holes); rings with
 * fewer than three distinct points or no area are dropped, and a polygon whose exterior is dropped goes with it.
 * Returns the polygons and how many rings were dropped.
 */
export function normaliseRings(polygons: Planar[][][]): { polygons: Planar[][][]; dropped: number } {
  let dropped = 0;
  const out: Planar[][][] = [];
  for (const rings of polygons) {
    const kept: Planar[][] = [];
    rings.forEach((ring, i) => {
      const open = ring.length > 1 && samePoint(ring[0]!, ring.at(-1)!) ? ring.slice(0, -1) : ring.slice();
      const distinct = new Set(open.map((p) => `${p[0]},${p[1]}`)).size;
      const area = ringArea(open);
      if (distinct < 3 || Math.abs(area) < 1e-9) {
        dropped++;
        return;
      }
      if (i > 0 && !kept.length) {
        dropped++;
        return;
      }
      const wantPositive = i === 0;
      const fixed = area > 0 === wantPositive ? open : open.reverse();
      kept.push([...fixed, fixed[0]!]);
    });
    if (kept.length) out.push(kept);
  }
  return { polygons: out, dropped };
}

const samePoint = (a: Planar, b: Planar) => a[0] === b[0] && a[1] === b[1];

export interface EncodeInput {
  parent: string;
  shapes: readonly MatchedShape[];
  size: SizeSpec;
  /** National map: put the 南海诸岛 inset in the lower right. */
  national: boolean;
  /** Short names for the map's labels (national level). */
  label?: (name: string) => string;
}

export function encode({ parent, shapes, size, national, label = (n) => n }: EncodeInput): { file: GeometryFile; droppedRings: number } {
  const all = shapes.flatMap((s) => s.polygons.flat(2));
  const projection = makeProjection(all, national);
  // Fit the width: project with scale 1 first, then scale and shift into [0, width].
  const unit = all.map((p) => projection(p)!);
  const [minX, minY, maxX, maxY] = bounds(unit);
  const margin = size.width * 0.01;
  const k = (size.width - 2 * margin) / (maxX - minX);
  const scale = projection.scale() * k;
  const translate: [number, number] = [margin - minX * k, margin - minY * k];
  projection.scale(scale).translate(translate);
  let height = Math.ceil((maxY - minY) * k + 2 * margin);

  let droppedRings = 0;
  const geometries: TopoGeometry[] = [];
  shapes.forEach((shape, i) => {
    // Rounded to file units before the topology: neighbours whose borders differ by less than a unit then share
    // one arc instead of splitting at every near-miss point.
    const projected = shape.polygons.map((rings) => rings.map((ring) => dedupe(ring.map((p) => roundPoint(projection(p)!)))));
    const { polygons, dropped } = normaliseRings(projected);
    droppedRings += dropped;
    geometries.push({ type: 'MultiPolygon', coordinates: polygons, id: i } as TopoGeometry);
  });

  const topology = topojsonServer.topology({ regions: { type: 'GeometryCollection', geometries } });
  const simplified = topojsonSimplify.simplify(topojsonSimplify.presimplify(topology), size.minWeight);
  const arcs = simplified.arcs.map((arc) => dedupe(arc.map(([x, y]) => [Math.round(x), Math.round(y)] as Planar)));
  const topoGeometries = simplified.objects['regions']?.geometries ?? [];

  const used = new Map<number, number>();
  const outArcs: number[][] = [];
  const indexOf = (arc: number) => {
    const i = arc < 0 ? ~arc : arc;
    let j = used.get(i);
    if (j === undefined) {
      used.set(i, (j = outArcs.length));
      outArcs.push(deltas(arcs[i]!));
    }
    return arc < 0 ? ~j : j;
  };

  const regions: GeometryRegion[] = [];
  topoGeometries.forEach((g, i) => {
    const shape = shapes[i]!;
    const polys = (g.type === 'Polygon' ? [g.arcs as number[][]] : g.type === 'MultiPolygon' ? (g.arcs as number[][][]) : []).map(
      (rings) => rings.map((ring) => ({ ring, points: ringPoints(ring, arcs) })),
    );
    const largest = Math.max(0, ...polys.flat().map((r) => Math.abs(ringArea(r.points))));
    const kept = polys
      .map((rings) =>
        rings.filter((r, j) => {
          const area = Math.abs(ringArea(r.points));
          if (area === 0) return false;
          return area >= size.minRingArea || (j === 0 && area === largest);
        }),
      )
      .filter((rings) => rings.length > 0);
    if (!kept.length) {
      droppedRings += polys.flat().length;
      // Too small to draw at this size (澳门 on the national map): a marker at its centre keeps it on the map.
      if (shape.match) regions.push({ c: shape.match, n: label(shape.currentName), p: [], l: centre(shape, projection), s: 1 });
      return;
    }
    const biggest = kept.reduce((a, b) => (Math.abs(ringArea(b[0]!.points)) > Math.abs(ringArea(a[0]!.points)) ? b : a));
    const box = bounds(kept.flatMap((rings) => rings[0]!.points));
    const region: GeometryRegion = {
      n: label(shape.currentName),
      p: kept.map((rings) => rings.map((r) => r.ring.map(indexOf))),
      l: [0, 0],
    };
    const [lx, ly, room] = labelPoint(biggest.map((r) => r.points));
    region.l = [lx, ly];
    region.r = room;
    if (shape.match) region.c = shape.match;
    if (Math.max(box[2] - box[0], box[3] - box[1]) < size.smallUnder) region.s = 1;
    regions.push(region);
  });
  // Code order, unmatched last: the tab order of the keyboard does not depend on the source's order.
  regions.sort((a, b) => (a.c ?? '999999').localeCompare(b.c ?? '999999'));

  const file: GeometryFile = {
    v: 1,
    code: parent || '000000',
    w: size.width,
    h: height,
    proj: {
      type: 'conicConformal',
      rotate: projection.rotate().slice(0, 2).map(round6),
      parallels: projection.parallels().map(round6),
      scale: round6(scale),
      translate: translate.map(round6),
    },
    arcs: outArcs,
    regions,
  };
  if (national) {
    const inset = southSeaInset(arcs.flat(), size.width, height);
    const first = outArcs.length;
    outArcs.push(...inset.rings.map(deltas));
    file.inset = { box: inset.box, p: inset.rings.map((_, i) => [[first + i]]) };
    file.h = height = inset.height;
  }
  return { file, droppedRings };
}

/** The projection a file was drawn with: turns a GPS position (longitude, latitude) into the file's units. */
export function projectionFor(proj: GeometryFile['proj']): (lonLat: Position) => [number, number] {
  const p = geoConicConformal()
    .parallels((proj.parallels ?? NATIONAL_PARALLELS) as [number, number])
    .rotate(proj.rotate as [number, number])
    .scale(proj.scale)
    .translate(proj.translate as [number, number]);
  return (lonLat) => p(lonLat)!;
}

function centre(shape: MatchedShape, projection: (p: Position) => [number, number] | null): [number, number] {
  const points = shape.polygons.flat(2).map((p) => projection(p)!);
  const [x0, y0, x1, y1] = bounds(points);
  return [Math.round((x0 + x1) / 2), Math.round((y0 + y1) / 2)];
}

function makeProjection(points: readonly Position[], national: boolean) {
  if (national) return geoConicConformal().parallels(NATIONAL_PARALLELS).rotate([-NATIONAL_MERIDIAN, 0]).scale(1).translate([0, 0]);
  const [minLon, minLat, maxLon, maxLat] = bounds(points);
  const span = maxLat - minLat;
  return geoConicConformal()
    .parallels([round6(minLat + span / 6), round6(maxLat - span / 6 || maxLat + 0.01)])
    .rotate([-round6((minLon + maxLon) / 2), 0])
    .scale(1)
    .translate([0, 0]);
}

function bounds(points: readonly (readonly number[])[]): [number, number, number, number] {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) {
    x0 = Math.min(x0, x!);
    y0 = Math.min(y0, y!);
    x1 = Math.max(x1, x!);
    y1 = Math.max(y1, y!);
  }
  return [x0, y0, x1, y1];
}

const roundPoint = ([x, y]: [number, number]): Planar => [Math.round(x), Math.round(y)];
const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

function dedupe(arc: Planar[]): Planar[] {
  const out: Planar[] = [];
  for (const p of arc) if (!out.length || !samePoint(out.at(-1)!, p)) out.push(p);
  if (out.length === 1) out.push(out[0]!);
  return out;
}

function deltas(arc: Planar[]): number[] {
  const flat: number[] = [];
  arc.forEach(([x, y], i) => {
    const prev = arc[i - 1];
    flat.push(prev ? x - prev[0] : x, prev ? y - prev[1] : y);
  });
  return flat;
}

function ringPoints(ring: number[], arcs: Planar[][]): Planar[] {
  const points: Planar[] = [];
  for (const index of ring) {
    const arc = arcs[index < 0 ? ~index : index]!;
    const ordered = index < 0 ? arc.slice().reverse() : arc;
    points.push(...(points.length ? ordered.slice(1) : ordered));
  }
  return points.length > 1 && samePoint(points[0]!, points.at(-1)!) ? points.slice(0, -1) : points;
}

/**
 * Where the name goes: the middle of the widest inside stretch of the horizontal line through the largest
 * polygon's centre of area (a centroid can fall outside a crescent-shaped unit), and that stretch's width.
 */
export function labelPoint(rings: Planar[][]): [number, number, number] {
  const outer = rings[0]!;
  let [cx, cy, a] = [0, 0, 0];
  for (let i = 0, n = outer.length; i < n; i++) {
    const p = outer[i]!;
    const q = outer[(i + 1) % n]!;
    const f = p[0] * q[1] - q[0] * p[1];
    cx += (p[0] + q[0]) * f;
    cy += (p[1] + q[1]) * f;
    a += f;
  }
  if (a === 0) return [outer[0]![0], outer[0]![1], 0];
  cx /= 3 * a;
  cy /= 3 * a;
  const xs: number[] = [];
  for (const ring of rings) {
    for (let i = 0, n = ring.length; i < n; i++) {
      const p = ring[i]!;
      const q = ring[(i + 1) % n]!;
      if (p[1] > cy !== q[1] > cy) xs.push(p[0] + ((cy - p[1]) / (q[1] - p[1])) * (q[0] - p[0]));
    }
  }
  xs.sort((x, y) => x - y);
  let best: [number, number, number] = [Math.round(cx), Math.round(cy), 0];
  let width = -1;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    if (xs[i + 1]! - xs[i]! > width) {
      width = xs[i + 1]! - xs[i]!;
      best = [Math.round((xs[i]! + xs[i + 1]!) / 2), Math.round(cy), Math.round(width)];
    }
  }
  return best;
}

/**
 * The 南海诸岛 inset every map of China carries: a frame in the lower right with the islands and the dashed
 * boundary line. The drawing is ECharts 4.9.0's (src/coord/geo/fix/nanhai.js, Apache-2.0), in its own units
 * (64 wide, 93.1 high, y up), fitted to the frame; the canvas grows when the frame would reach into the mainland.
 */
export const NANHAI: readonly (readonly [number, number])[][] = [
  [[0, 3.5], [7, 11.2], [15, 11.9], [30, 7], [42, 0.7], [52, 0.7], [56, 7.7], [59, 0.7], [64, 0.7], [64, 0], [5, 0], [0, 3.5]],
  [[13, 16.1], [19, 14.7], [16, 21.7], [11, 23.1], [13, 16.1]],
  [[12, 32.2], [14, 38.5], [15, 38.5], [13, 32.2], [12, 32.2]],
  [[16, 47.6], [12, 53.2], [13, 53.2], [18, 47.6], [16, 47.6]],
  [[6, 64.4], [8, 70], [9, 70], [8, 64.4], [6, 64.4]],
  [[23, 82.6], [29, 79.8], [30, 79.8], [25, 82.6], [23, 82.6]],
  [[37, 70.7], [43, 62.3], [44, 62.3], [39, 70.7], [37, 70.7]],
  [[48, 51.1], [51, 45.5], [53, 45.5], [50, 51.1], [48, 51.1]],
  [[51, 35], [51, 28.7], [53, 28.7], [53, 35], [51, 35]],
  [[52, 22.4], [55, 17.5], [56, 17.5], [53, 22.4], [52, 22.4]],
  [[58, 12.6], [62, 7], [63, 7], [60, 12.6], [58, 12.6]],
];

function southSeaInset(
  points: readonly Planar[],
  width: number,
  height: number,
): { box: [number, number, number, number]; rings: Planar[][]; height: number } {
  const w = Math.round(width * 0.12);
  const h = Math.round(w * 1.3);
  const pad = Math.round(width * 0.01);
  const x = width - w - pad;
  // As low in the corner as the land allows: below anything drawn in the frame's columns.
  const below = Math.max(0, ...points.filter((p) => p[0] >= x - pad).map((p) => p[1] + pad));
  const y = Math.max(height - h - pad, below);
  const k = (w * 0.8) / 64;
  const [ox, oy] = [x + w * 0.1, y + h * 0.07 + 93.1 * k * 0.85];
  const rings = NANHAI.map((ring) => ring.map(([rx, ry]) => [Math.round(ox + rx * k), Math.round(oy - ry * k * 0.85)] as Planar));
  return { box: [x, y, w, h], rings, height: Math.max(height, y + h + pad) };
}
