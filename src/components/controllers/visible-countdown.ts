import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Clock } from './clock.js';

/** What the countdown needs of a document: `document` itself, or a stand-in in tests. */
export interface VisibilityDocument {
  readonly visibilityState: DocumentVisibilityState;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

export interface VisibleCountdownOptions {
  /** Read when a timer is set, so the host may swap its clock before it connects. */
  clock: () => Clock;
  /** Read on connect; defaults to the global `document`. */
  document?: () => VisibilityDocument;
  /** Called once per `start()`, when the whole time has been spent visible. */
  onDone?: () => void;
}

/**
 * Counts down time during which the page is visible (Page Visibility API): a background tab is not reading. The host
 * re-renders once a second while it counts, and when it pauses, resumes or finishes.
 */
export class VisibleCountdown implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: VisibleCountdownOptions;
  #doc: VisibilityDocument | undefined;
  #totalMs = 0;
  /** Visible time folded in at the last pause. */
  #spentMs = 0;
  /** When the current visible stretch began, or null while paused, idle or finished. */
  #since: number | null = null;
  #timer: unknown = undefined;
  #started = false;
  #finished = false;

  constructor(host: ReactiveControllerHost, options: VisibleCountdownOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** Whether `start()` has been called since the last `reset()`. */
  get started(): boolean {
    return this.#started;
  }

  /** True once the whole time has been spent with the page visible. */
  get done(): boolean {
    return this.#finished;
  }

  /** True while time is counting: started, not finished, and the page is visible. */
  get counting(): boolean {
    return this.#since !== null;
  }

  get totalMs(): number {
    return this.#totalMs;
  }

  get remainingMs(): number {
    if (!this.#started) return this.#totalMs;
    const running = this.#since === null ? 0 : this.#clock.now() - this.#since;
    return Math.max(0, this.#totalMs - this.#spentMs - running);
  }

  /** Whole seconds left, rounded up: 「15 秒」 until a full second has passed. */
  get remainingSeconds(): number {
    return Math.ceil(this.remainingMs / 1000);
  }

  /** Share of the time already spent, from 0 to 1. */
  get progress(): number {
    return this.#totalMs === 0 ? (this.#started ? 1 : 0) : 1 - this.remainingMs / this.#totalMs;
  }

  /** Starts counting `totalMs` of visible time from zero (again, if it was running). */
  start(totalMs: number): void {
    this.#stopTimer();
    this.#totalMs = Math.max(0, totalMs);
    this.#spentMs = 0;
    this.#since = null;
    this.#started = true;
    this.#finished = false;
    if (this.#doc) this.#sync();
    this.#host.requestUpdate();
  }

  /** Back to idle: nothing counts until the next `start()`. */
  reset(): void {
    this.#stopTimer();
    this.#totalMs = 0;
    this.#spentMs = 0;
    this.#since = null;
    this.#started = false;
    this.#finished = false;
    this.#host.requestUpdate();
  }

  hostConnected(): void {
    this.#doc = this.#options.document?.() ?? globalThis.document;
    this.#doc.addEventListener('visibilitychange', this.#sync);
    this.#sync();
  }

  hostDisconnected(): void {
    this.#doc?.removeEventListener('visibilitychange', this.#sync);
    this.#doc = undefined;
    // A detached element is not being read either; it picks up where it was when re-attached.
    this.#pause();
  }

  get #clock(): Clock {
    return this.#options.clock();
  }

  #sync = (): void => {
    if (this.#doc?.visibilityState === 'visible') this.#resume();
    else this.#pause();
    this.#host.requestUpdate();
  };

  #resume(): void {
    if (!this.#started || this.#finished || this.#since !== null) return;
    this.#since = this.#clock.now();
    this.#schedule();
  }

  #pause(): void {
    if (this.#since !== null) {
      this.#spentMs += this.#clock.now() - this.#since;
      this.#since = null;
    }
    this.#stopTimer();
  }

  /** Wakes at each whole second of the remaining time, so the shown number changes exactly when it should. */
  #schedule(): void {
    this.#stopTimer();
    const remaining = this.remainingMs;
    if (remaining <= 0) {
      this.#finish();
      return;
    }
    this.#timer = this.#clock.setTimeout(this.#tick, remaining % 1000 || 1000);
  }

  #tick = (): void => {
    this.#timer = undefined;
    this.#schedule();
    this.#host.requestUpdate();
  };

  #finish(): void {
    this.#pause();
    this.#spentMs = this.#totalMs;
    this.#finished = true;
    this.#host.requestUpdate();
    this.#options.onDone?.();
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
