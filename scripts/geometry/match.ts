// Matches source shapes to current statistical division codes: by code (only when the name agrees too, since
// codes get reused), then by name within the same parent, then through the reviewed alias table. Nothing is ever
// matched across parents.
import type { RegionIndex } from '../../src/server/regions.js';
import type { Alias } from './aliases.js';

export type Position = [number, number];
export type Ring = Position[];
export interface SourceShape {
  code: string | undefined;
  name: string;
  /** Polygons → rings (first exterior, then holes) in longitude/latitude. */
  polygons: Ring[][];
}

export type MatchKind = 'code' | 'name' | 'alias';
export interface MatchedShape extends SourceShape {
  /** Current code, or undefined: the shape is drawn grey and cannot be chosen. */
  match: string | undefined;
  how: MatchKind | undefined;
  /** Current name (the source's when unmatched). */
  currentName: string;
}

export interface MatchReport {
  parent: string;
  matched: { code: string; name: string; how: MatchKind; from: string }[];
  /** Shapes with no current code (grey on the map): `code name` as in the source. */
  withoutCode: string[];
  /** Current units the source has no shape for (offered as buttons under the map). */
  withoutShape: string[];
}

/** Administrative suffixes a source may leave off (ECharts: 河南 for 河南省, 郑州 for 郑州市). */
const SUFFIX = /^(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区|地区|盟|自治州)$/;

/** Same unit by name: equal, or one is the other plus an administrative suffix. Never 梁平县 for 梁平区. */
export function sameName(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return short.length >= 2 && long.startsWith(short) && SUFFIX.test(long.slice(short.length));
}

export function matchShapes(
  shapes: readonly SourceShape[],
  parent: string,
  index: RegionIndex,
  aliases: readonly Alias[],
): { shapes: MatchedShape[]; report: MatchReport } {
  const children = index.children(parent || undefined) ?? [];
  const report: MatchReport = { parent, matched: [], withoutCode: [], withoutShape: [] };
  const out = shapes.map((shape): MatchedShape => {
    let match: string | undefined;
    let how: MatchKind | undefined;
    const byCode = shape.code ? children.find((c) => c.code === shape.code) : undefined;
    if (byCode && sameName(shape.name, byCode.name)) [match, how] = [byCode.code, 'code'];
    if (!match) {
      const byName = children.filter((c) => sameName(shape.name, c.name));
      if (byName.length === 1) [match, how] = [byName[0]!.code, 'name'];
    }
    if (!match) {
      const alias = aliases.find(
        (a) => a.parent === parent && a.fromName === shape.name && (!a.fromCode || !shape.code || a.fromCode === shape.code),
      );
      if (alias && children.some((c) => c.code === alias.to)) [match, how] = [alias.to, 'alias'];
    }
    const from = `${shape.code ?? '—'} ${shape.name}`;
    const current = match ? children.find((c) => c.code === match) : undefined;
    if (match && how && current) report.matched.push({ code: match, name: current.name, how, from });
    else report.withoutCode.push(from);
    return { ...shape, match, how, currentName: current?.name ?? shape.name };
  });
  const drawn = new Set(out.map((s) => s.match));
  report.withoutShape = children.filter((c) => !drawn.has(c.code)).map((c) => `${c.code} ${c.name}`);
  return { shapes: out, report };
}

/** One line per parent, then the lists. */
export function formatReport(report: MatchReport, parentName: string): string {
  const count = (k: MatchKind) => report.matched.filter((m) => m.how === k).length;
  const lines = [
    `${report.parent || '000000'} ${parentName}: ${report.matched.length} matched (${count('code')} by code, ${count('name')} by name, ${count('alias')} aliased), ` +
      `${report.withoutCode.length} shapes without a current code, ${report.withoutShape.length} codes without a shape`,
  ];
  for (const m of report.matched.filter((x) => x.how === 'alias')) lines.push(`  aliased: ${m.from} → ${m.code} ${m.name}`);
  for (const s of report.withoutCode) lines.push(`  shape without a current code: ${s}`);
  for (const c of report.withoutShape) lines.push(`  code without a shape: ${c}`);
  return lines.join('\n');
}
