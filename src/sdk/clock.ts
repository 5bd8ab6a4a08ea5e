/**
 * Time, injected everywhere it is read, so tests move it by hand (`ManualClock` in tests/support) instead of
 * sleeping. DOM-free and Node-free: the server, the SDK's outbox and the components' controllers share it.
 */
export interface Clock {
  now(): number;
}

/** A clock that also schedules: controllers and the transition outbox run their timers on it. */
export interface TimerClock extends Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: TimerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};
