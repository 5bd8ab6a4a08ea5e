import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ApiError, NetworkError, ValidationError } from '../../sdk/errors.js';
import type { Clock } from './clock.js';

/** Why no code was sent, for the form to pick its sentence: each says what to do next. */
export type SmsFailure = 'phone' | 'notice' | 'network' | 'too-soon' | 'unavailable' | 'failed';

/** What the last request came to: a code sent, or why not. */
export type SmsOutcome = { sent: true } | { sent: false; failure: SmsFailure };

function failureOf(error: unknown): SmsFailure {
  // Checked by the SDK before sending: the phone is not a mainland mobile number.
  if (error instanceof ValidationError && error.fields.some((f) => f.path === 'phone')) return 'phone';
  // The only other field is the notice token: none yet, or the server no longer takes it (read the notice again).
  if (error instanceof ValidationError || (error instanceof ApiError && error.code === 'NOTICE_ACK_INVALID')) return 'notice';
  if (error instanceof NetworkError) return 'network';
  if (error instanceof ApiError && error.code === 'RATE_LIMITED') return 'too-soon';
  if (error instanceof ApiError && error.code === 'UNAVAILABLE') return 'unavailable';
  return 'failed';
}

/**
 * The SMS code flow: a request (the injected `send`, the SDK call), then the wait before another code may be asked
 * for, started from the server's `cooldownSeconds` or a 429's `retryAfterMs`, counted on the injected clock,
 * re-rendering the host once a second. The deadline is kept as a time, so an element that is moved (disconnected and
 * re-attached) resumes with the right remainder. No texts: `outcome` says what happened, the form says it in words.
 */
export class SmsCooldown implements ReactiveController {
  /** A request is under way. */
  sending = false;
  /** The last request's outcome, until `clear()`, the next request or `reset()`. */
  outcome: SmsOutcome | undefined;
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

  /** Asks for a code unless one is on its way or the wait is not over; resolves with the outcome, or nothing when it did not ask. */
  async request(): Promise<SmsOutcome | undefined> {
    if (this.sending || this.active) return undefined;
    this.sending = true;
    this.outcome = undefined;
    this.#host.requestUpdate();
    try {
      const { cooldownSeconds } = await this.#send();
      this.start(cooldownSeconds * 1000);
      this.outcome = { sent: true };
    } catch (error) {
      this.outcome = { sent: false, failure: failureOf(error) };
      if (error instanceof ApiError && error.retryAfterMs) this.start(error.retryAfterMs);
    }
    this.sending = false;
    this.#host.requestUpdate();
    return this.outcome;
  }

  /** Forgets a failure (the citizen changed the number). */
  clear(): void {
    if (this.outcome && !this.outcome.sent) this.outcome = undefined;
    this.#host.requestUpdate();
  }

  /** Forgets the outcome (the form was emptied); the wait goes on, as the server's does. */
  reset(): void {
    this.outcome = undefined;
    this.#host.requestUpdate();
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
