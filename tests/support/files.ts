// Node only (media-fixtures.ts also runs in browsers).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every file below `dir` (and each directory, with `dirs`), depth first. */
export function* walkFiles(dir: string, { dirs = false } = {}): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (dirs) yield file;
      yield* walkFiles(file, { dirs });
    } else yield file;
  }
}
