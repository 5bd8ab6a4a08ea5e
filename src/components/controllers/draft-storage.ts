/** Where a draft is kept: `session` (default, gone with the tab), `local` (only when the host opts in), or `none`. */
export type DraftStorageKind = 'session' | 'local' | 'none';

/** The storage for a host's choice; never throws (storage can be refused in private mode or sandboxed frames). */
export function draftStorageFor(kind: DraftStorageKind): Storage | undefined {
  try {
    if (kind === 'local') return globalThis.localStorage;
    if (kind === 'session') return globalThis.sessionStorage;
  } catch {
    // Access itself throws when the browser blocks storage: keep nothing.
  }
  return undefined;
}
