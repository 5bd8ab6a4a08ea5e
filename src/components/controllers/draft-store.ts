import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Clock } from './clock.js';

/** An uploaded evidence file as kept in a draft: enough to show it again and name it in `attachmentIds`. */
export interface StoredAttachment {
  attachmentId: string;
  name: string;
  size: number;
  mime: string;
}

export type DraftValue = string | boolean | string[];

/** What a draft holds: field values by dotted path, and the finished uploads. */
export interface DraftData {
  fields: Record<string, DraftValue>;
  attachments: StoredAttachment[];
}

export interface DraftStoreOptions {
  /** Namespaces the key: `aqjb-embed:draft:<name>`. */
  name: string;
  /** The storage in use, read at each access (the host may switch it); `undefined` keeps nothing. */
  storage: () => Storage | undefined;
  clock: () => Clock;
  /** Whether personal fields may be stored (the integrator opted in). */
  personal: () => boolean;
  /** Paths of the fields that identify the citizen: dropped on save and on restore unless `personal()`. */
  personalFields: readonly string[];
  /** The host's current values. */
  read: () => DraftData;
  /** Called once, on the first connect, with a stored draft. */
  restore: (data: DraftData) => void;
  /** Where `aqjb-submitted` bubbles to (the intake fires it once a report is filed); defaults to `document`. */
  events?: EventTarget;
  /** Quiet time after the last change before saving. */
  delayMs?: number;
  /** Older drafts are dropped: a shared computer should not show last week's report to the next person. */
  maxAgeMs?: number;
}

const VERSION = 1;
const DAY = 24 * 3600_000;

/**
 * Keeps a form's draft across reloads and lost connections: restores on the first connect, saves 500 ms after the
 * last change — or at once when the page is hidden or left (a reload, a closed tab, a phone switching apps: no
 * element is disconnected then, and the last keystrokes would be lost) — and clears on `aqjb-submitted` or
 * `clear()`. Personal fields stay out unless the host opted in. Storage that is missing, full or holds something
 * foreign is tolerated: the form works, only a reload would lose input.
 */
export class DraftStore implements ReactiveController {
  readonly key: string;
  #options: DraftStoreOptions;
  #timer: unknown;
  #restored = false;

  constructor(host: ReactiveControllerHost, options: DraftStoreOptions) {
    this.#options = options;
    this.key = `aqjb-embed:draft:${options.name}`;
    host.addController(this);
  }

  hostConnected(): void {
    this.#events?.addEventListener('aqjb-submitted', this.#onSubmitted);
    globalThis.addEventListener?.('pagehide', this.#flush);
    globalThis.document?.addEventListener('visibilitychange', this.#onVisibility);
    // Only once: a moved element keeps what it holds in memory (personal fields that were never stored, too).
    if (this.#restored) return;
    this.#restored = true;
    const data = this.load();
    if (data) this.#options.restore(data);
  }

  hostDisconnected(): void {
    this.#events?.removeEventListener('aqjb-submitted', this.#onSubmitted);
    globalThis.removeEventListener?.('pagehide', this.#flush);
    globalThis.document?.removeEventListener('visibilitychange', this.#onVisibility);
    // Flush instead of dropping the pending save: the element may be gone for good.
    if (this.#timer !== undefined) this.save();
  }

  /** A pending save, now: the page is being left (`pagehide`) or hidden. */
  #flush = (): void => {
    if (this.#timer !== undefined) this.save();
  };

  #onVisibility = (): void => {
    if (globalThis.document?.visibilityState === 'hidden') this.#flush();
  };

  /** Call on every change: saves once the changes pause. */
  changed(): void {
    this.#cancel();
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.save();
    }, this.#options.delayMs ?? 500);
  }

  /** Saves now. */
  save(): void {
    this.#cancel();
    const { fields, attachments } = this.#options.read();
    const kept = this.#withoutPersonal(fields);
    const empty = !Object.values(kept).some((v) => (Array.isArray(v) ? v.length : v)) && !attachments.length;
    try {
      if (empty) this.#storage?.removeItem(this.key);
      else this.#storage?.setItem(this.key, JSON.stringify({ v: VERSION, savedAt: this.#clock.now(), fields: kept, attachments }));
    } catch {
      // Quota exceeded or storage refused: nothing to do; the form keeps working.
    }
  }

  /** The stored draft, or `undefined` when there is none, it is too old, or it is not ours. */
  load(): DraftData | undefined {
    let raw: unknown;
    try {
      raw = JSON.parse(this.#storage?.getItem(this.key) ?? 'null');
    } catch {
      return undefined;
    }
    const data = parseStored(raw, this.#clock.now() - (this.#options.maxAgeMs ?? 7 * DAY));
    return data && { ...data, fields: this.#withoutPersonal(data.fields) };
  }

  /** Forgets the draft and any pending save. */
  clear(): void {
    this.#cancel();
    try {
      this.#storage?.removeItem(this.key);
    } catch {
      // Refused storage holds nothing to clear.
    }
  }

  get #clock(): Clock {
    return this.#options.clock();
  }

  get #storage(): Storage | undefined {
    try {
      return this.#options.storage();
    } catch {
      return undefined;
    }
  }

  get #events(): EventTarget | undefined {
    return this.#options.events ?? globalThis.document;
  }

  #cancel(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #withoutPersonal(fields: Record<string, DraftValue>): Record<string, DraftValue> {
    if (this.#options.personal()) return { ...fields };
    const personal = new Set(this.#options.personalFields);
    return Object.fromEntries(Object.entries(fields).filter(([path]) => !personal.has(path)));
  }

  #onSubmitted = () => this.clear();
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const isValue = (v: unknown): v is DraftValue =>
  typeof v === 'string' || typeof v === 'boolean' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));

const isAttachment = (v: unknown): v is StoredAttachment =>
  isRecord(v) &&
  typeof v.attachmentId === 'string' &&
  typeof v.name === 'string' &&
  typeof v.size === 'number' &&
  typeof v.mime === 'string';

/** Reads what another page, an older version or a hand edit may have left: anything unexpected is ignored. */
function parseStored(raw: unknown, notBefore: number): DraftData | undefined {
  if (!isRecord(raw) || raw.v !== VERSION || !isRecord(raw.fields)) return undefined;
  if (typeof raw.savedAt !== 'number' || raw.savedAt < notBefore) return undefined;
  const fields = Object.fromEntries(Object.entries(raw.fields).filter(([, v]) => isValue(v))) as Record<string, DraftValue>;
  const attachments = Array.isArray(raw.attachments) ? raw.attachments.filter(isAttachment) : [];
  return { fields, attachments: attachments.map(({ attachmentId, name, size, mime }) => ({ attachmentId, name, size, mime })) };
}
