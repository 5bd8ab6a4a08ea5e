import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Clock } from './clock.js';

/** A character count is spoken only once typing pauses this long (GOV.UK character count). */
export const TYPING_PAUSE_MS = 1000;

/**
 * Runs `then` once typing has paused: each `typed()` restarts the wait, on the injected clock. The report form's
 * description and the supplement's statement speak their character count this way, never per keystroke. The wait
 * is dropped on `cancel()` and when the host is disconnected.
 */
export class TypingPause implements ReactiveController {
  #timer: unknown;
  #clock: () => Clock;
  #then: () => void;

  constructor(host: ReactiveControllerHost, clock: () => Clock, then: () => void) {
    this.#clock = clock;
    this.#then = then;
    host.addController(this);
  }

  typed(): void {
    this.cancel();
    this.#timer = this.#clock().setTimeout(() => {
      this.#timer = undefined;
      this.#then();
    }, TYPING_PAUSE_MS);
  }

  cancel(): void {
    if (this.#timer !== undefined) this.#clock().clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  hostDisconnected(): void {
    this.cancel();
  }
}
