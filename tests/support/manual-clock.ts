/** A clock tests move by hand: no sleeps, no timing assertions. */
export class ManualClock {
  #now: number;
  constructor(start: number | string = '2026-03-02T01:00:00Z') {
    this.#now = typeof start === 'number' ? start : Date.parse(start);
  }
  now = () => this.#now;
  advance(ms: number) {
    this.#now += ms;
  }
  set(at: number | string) {
    this.#now = typeof at === 'number' ? at : Date.parse(at);
  }
}
