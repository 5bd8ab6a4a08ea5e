/**
 * A clock tests move by hand: no sleeps, no timing assertions. The server reads `now()`; browser controllers also
 * schedule timers on it, which fire in order as `advance()` passes their time.
 */
export class ManualClock {
  #now: number;
  #timers = new Map<number, { at: number; fn: () => void }>();
  #next = 1;

  constructor(start: number | string = '2026-03-02T01:00:00Z') {
    this.#now = typeof start === 'number' ? start : Date.parse(start);
  }

  now = () => this.#now;

  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = this.#next++;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), fn });
    return id;
  };

  clearTimeout = (handle: unknown) => {
    this.#timers.delete(handle as number);
  };

  /** Moves time forward, firing due timers in order (timers they set are honoured too). */
  advance(ms: number) {
    const end = this.#now + ms;
    for (;;) {
      let due: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.#timers) if (entry[1].at <= end && (!due || entry[1].at < due[1].at)) due = entry;
      if (!due) break;
      this.#timers.delete(due[0]);
      this.#now = Math.max(this.#now, due[1].at);
      due[1].fn();
    }
    this.#now = end;
  }

  set(at: number | string) {
    this.#now = typeof at === 'number' ? at : Date.parse(at);
  }

  /** Timers waiting to fire. */
  get pending() {
    return this.#timers.size;
  }
}
