import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ApiError } from '../../sdk/errors.js';
import type { Clock } from './clock.js';

/**
 * The SMS code flow: a request (the injected `send`, the SDK call), then the wait before another code may be asked
 * for, started from the server's `cooldownSeconds` or a 429's `retryAfterMs`, counted on the injected clock,
 * re-rendering the host once a second. The deadline is kept as a time, so an element that is moved (disconnected and
 * re-attached) resumes with the right remainder. No texts: `sent` and `error` say what happened, the form says it
 * in words (a number the SDK refused, the notice to read again, no connection, too soon).
 */
export class SmsCooldown implements ReactiveController {
  /** A request is under way. */
  sending = false;
  /** The last request sent a code. */
  sent = false;
  /** Why the last request failed (the SDK's error), until `clear()` or the next request; the form drops it when the number changes. */
  error: unknown = undefined;
  #host: ReactiveControllerHost;
  #clock: () => Clock;
  #send: () => Promise<{ cooldownSeconds: number }>;
  #until = 0;
  #timer: unknown;

  constructor(host: ReactiveControllerHost, clock: () => Clock, send: () => Promise<{ cooldownSeconds: number }>) {
    this.#host = host;
    this.#clock = clock;
    this.#send = send;
    host.addController(this);
  }

  /** Whole seconds left, rounded up; 0 when a code may be asked for. */
  get remainingSeconds(): number {
    return Math.ceil(Math.max(0, this.#until - this.#clock().now()) / 1000);
  }

  get active(): boolean {
    return this.remainingSeconds > 0;
  }

  /** Asks for a code unless one is on its way or the wait is not over; resolves with whether it was sent, or nothing when it did not ask. */
  async request(): Promise<boolean | undefined> {
    if (this.sending || this.active) return undefined;
    this.sending = true;
    this.sent = false;
    this.error = undefined;
    this.#host.requestUpdate();
    try {
      const { cooldownSeconds } = await this.#send();
      this.start(cooldownSeconds * 1000);
      this.sent = true;
    } catch (error) {
      this.error = error;
      if (error instanceof ApiError && error.retryAfterMs) this.start(error.retryAfterMs);
    }
    this.sending = false;
    this.#host.requestUpdate();
    return this.sent;
  }

  /** Forgets what happened (the form was emptied). The wait goes on, as the server's does. */
  clear(): void {
    this.sent = false;
    this.error = undefined;
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
