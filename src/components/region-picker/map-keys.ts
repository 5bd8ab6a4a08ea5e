/** A point on the map a key can move to. */
export interface KeyTarget {
  x: number;
  y: number;
}

const DIRECTIONS: Record<string, [number, number]> = {
  ArrowRight: [1, 0],
  ArrowLeft: [-1, 0],
  ArrowDown: [0, 1],
  ArrowUp: [0, -1],
};

/**
 * Roving focus on the map: the arrow keys go to the nearest region whose label lies that way (off-axis distance
 * counts double, so ↓ prefers the place below over one far to the side); Home and End go to the first and last.
 * Returns the index to focus, or `undefined` when the key is not ours or nothing lies that way.
 */
export function nextTarget(targets: readonly KeyTarget[], from: number, key: string): number | undefined {
  if (key === 'Home') return targets.length ? 0 : undefined;
  if (key === 'End') return targets.length ? targets.length - 1 : undefined;
  const dir = DIRECTIONS[key];
  const origin = targets[from];
  if (!dir || !origin) return undefined;
  let best: number | undefined;
  let bestScore = Infinity;
  targets.forEach((t, i) => {
    const dx = t.x - origin.x;
    const dy = t.y - origin.y;
    const along = dx * dir[0] + dy * dir[1];
    if (i === from || along <= 0) return;
    const score = along + 2 * Math.abs(dx * dir[1] - dy * dir[0]);
    if (score < bestScore) [best, bestScore] = [i, score];
  });
  return best;
}
