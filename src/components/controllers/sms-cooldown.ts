import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Clock } from './clock.js';

/**
 * The wait before another SMS code may be asked for: started from the server's `cooldownSeconds` (or a 429's
 * `retryAfterMs`), counted on the injected clock, re-rendering the host once a second. The deadline is kept as a
 * time, so an element that is moved (disconnected and re-attached) resumes with the right remainder.
 */
export class SmsCooldown implements ReactiveController {
  #host: ReactiveControllerHost;
  #clock: () => Clock;
  #until = 0;
  #timer: unknown;

  constructor(host: ReactiveControllerHost, clock: () => Clock) {
    this.#host = host;
    this.#clock = clock;
    host.addController(this);
  }

  /** Whole seconds left, rounded up; 0 when a code may be asked for. */
  get remainingSeconds(): number {
    return Math.ceil(Math.max(0, this.#until - this.#clock().now()) / 1000);
  }

  get active(): boolean {
    return this.remainingSeconds > 0;
  }

  start(ms: number): void {
    this.#until = this.#clock().now() + Math.max(0, ms);
    this.#schedule();
    this.#host.requestUpdate();
  }

  hostConnected(): void {
    this.#schedule();
  }

  hostDisconnected(): void {
    this.#stop();
  }

  #schedule(): void {
    this.#stop();
    const left = this.#until - this.#clock().now();
    if (left <= 0) return;
    // Wake at the next whole-second boundary of the remainder, so the visible number never skips or lingers.
    this.#timer = this.#clock().setTimeout(() => {
      this.#timer = undefined;
      this.#host.requestUpdate();
      this.#schedule();
    }, left % 1000 || 1000);
  }

  #stop(): void {
    if (this.#timer !== undefined) this.#clock().clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
