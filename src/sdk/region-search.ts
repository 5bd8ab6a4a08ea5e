// The ranking of GET /regions/search (the server's), in the SDK as plain code without zod or DOM.
import type { RegionHit } from './schemas/regions.js';

/**
 * Matches by name (`郑州`, also inside: `金水`) or by pinyin (`zz`, `zzs`, `zhengzhou`), using the toneless
 * syllables the server sends, so no pinyin table reaches the browser. Best first: name or initials from the start,
 * then the rest; shallower places before deeper ones; otherwise in code order.
 */
export function searchRegions(candidates: readonly RegionHit[], query: string): RegionHit[] {
  const q = query.trim().toLowerCase().replace(/\s+/g, '');
  if (!q) return [];
  const ranked: [number, RegionHit][] = [];
  for (const hit of candidates) {
    const { name, pinyin } = hit.region;
    const syllables = pinyin.split(' ');
    const initials = syllables.map((s) => s[0] ?? '').join('');
    let rank = -1;
    if (name.startsWith(q) || initials.startsWith(q) || syllables.join('').startsWith(q)) rank = 0;
    else if (name.includes(q) || initialsFrom(syllables, q)) rank = 1;
    if (rank >= 0) ranked.push([rank * 10 + hit.within.length, hit]);
  }
  return ranked.sort((a, b) => a[0] - b[0] || a[1].region.code.localeCompare(b[1].region.code)).map(([, hit]) => hit);
}

/** `jsq` or `jinshui` inside 郑州市金水区 style names: initials or full syllables from any syllable on. */
function initialsFrom(syllables: readonly string[], q: string): boolean {
  if (!/^[a-z]+$/.test(q)) return false;
  for (let i = 1; i < syllables.length; i++) {
    const rest = syllables.slice(i);
    if (rest.map((s) => s[0]).join('').startsWith(q) || rest.join('').startsWith(q)) return true;
  }
  return false;
}
