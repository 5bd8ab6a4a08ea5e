import type { ReactiveControllerHost } from 'lit';
import { Latest } from '../internal/latest.js';

/**
 * One thing an element loads for a key (the picker's places of a level and its map, the form's dictionaries): what
 * the element used @lit/task for, at a fraction of its size. A load for another key aborts the one under way, whose
 * answer is then ignored. While loading, the last value stays readable; a failure forgets it. The host renders again
 * when a load starts and when it ends.
 */
export class Load<K, T> {
  phase: 'pending' | 'done' | 'failed' = 'pending';
  value: T | undefined;
  /** What the last load was for; none before the first. */
  #for: { key: K } | undefined;
  #latest = new Latest();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly run: (key: K, signal: AbortSignal) => Promise<T>,
  ) {}

  /** Loads for `key` unless the last load was for it already. */
  want(key: K): void {
    if (!this.#for || this.#for.key !== key) void this.load(key);
  }

  /** Loads for `key`, again if need be (「重试」). */
  async load(key: K): Promise<void> {
    this.#for = { key };
    const signal = this.#latest.next();
    this.phase = 'pending';
    this.host.requestUpdate();
    let value: T | undefined;
    let phase: 'done' | 'failed' = 'done';
    try {
      value = await this.run(key, signal);
    } catch {
      phase = 'failed';
    }
    if (signal.aborted) return;
    this.value = value;
    this.phase = phase;
    this.host.requestUpdate();
  }

  /** Stops the load under way, if any; `phase` stays `pending`, so the host can `load` again later. */
  abort(): void {
    this.#latest.abort();
  }
}
