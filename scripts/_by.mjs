import { readFileSync } from 'node:fs';
import { SourceMapConsumer } from 'source-map';
import { gzipSync } from 'node:zlib';
const files = process.argv.slice(2);
const agg = new Map();
for (const f of files) {
  const code = readFileSync(f, 'utf8'); const map = JSON.parse(readFileSync(f + '.map', 'utf8'));
  const total = gzipSync(code, { level: 9 }).length;
  const c = await new SourceMapConsumer(map);
  const lines = code.split('\n'); const pieces = new Map();
  const segs = []; c.eachMapping((m) => segs.push(m), null, SourceMapConsumer.GENERATED_ORDER);
  for (let i = 0; i < segs.length; i++) {
    const m = segs[i], n = segs[i + 1];
    let text;
    if (n && n.generatedLine === m.generatedLine) text = lines[m.generatedLine - 1].slice(m.generatedColumn, n.generatedColumn);
    else { text = lines[m.generatedLine - 1].slice(m.generatedColumn); let l = m.generatedLine; const end = n ? n.generatedLine : lines.length + 1; while (++l < end) text += '\n' + lines[l - 1]; }
    const k = (m.source ?? '?').replace(/^(\.\.\/)+/, '').replace(/node_modules\/((@[^/]+\/)?[^/]+).*/, '$1');
    (pieces.get(k) ?? pieces.set(k, []).get(k)).push(text);
  }
  const gs = [...pieces].map(([k, t]) => [k, t.join('').length, gzipSync(t.join(''), { level: 9 }).length]);
  const alone = gs.reduce((s, g) => s + g[2], 0);
  for (const [k, b, g] of gs) { const a = agg.get(k) ?? [0, 0]; a[0] += b; a[1] += total * g / alone; agg.set(k, a); }
}
const rows = [...agg].sort((a, b) => b[1][1] - a[1][1]);
let sum = 0; for (const [k, [b, g]] of rows) { sum += g; console.log(k.padEnd(60), String(b).padStart(7), (g / 1024).toFixed(2).padStart(6)); }
console.log('total', (sum / 1024).toFixed(1));
