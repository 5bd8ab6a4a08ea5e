import { FileStore } from '@tus/file-store';
import type { Clock } from '../clock.js';

/**
 * The tus file store with expiry on the injected clock. FileStore's own `deleteExpired` reads the system clock and
 * trusts the offset in the `.json`, which it never updates; here every upload still in the store is unfinished
 * (finished ones move out at once), so age alone decides. Upload dates come from the same clock (`onUploadCreate`).
 */
export class ClockedFileStore extends FileStore {
  readonly #clock: Clock;
  readonly #expiryMs: number;

  constructor(options: { directory: string; expirationPeriodInMilliseconds: number }, clock: Clock) {
    super(options);
    this.#clock = clock;
    this.#expiryMs = options.expirationPeriodInMilliseconds;
  }

  /**
   * tus's own handlers compare the upload date with the system clock; our routes check expiry on the injected
   * clock before tus sees the request, so tus is told there is none (else a test clock in the past, or a server
   * clock behind, would expire fresh uploads).
   */
  override getExpiration(): number {
    return 0;
  }

  /** When an upload created at `creationDate` (ISO) expires, in ms; Infinity without expiry. */
  expiresAt(creationDate: string | undefined): number {
    const created = creationDate ? Date.parse(creationDate) : Number.NaN;
    return this.#expiryMs > 0 && Number.isFinite(created) ? created + this.#expiryMs : Infinity;
  }

  async isExpired(id: string): Promise<boolean> {
    const info = await this.configstore.get(id);
    return info !== undefined && this.#clock.now() > this.expiresAt(info.creation_date);
  }

  override async deleteExpired(): Promise<number> {
    let removed = 0;
    for (const id of (await this.configstore.list?.()) ?? []) {
      if (!(await this.isExpired(id))) continue;
      // Another instance may have removed it first: that one counts it.
      removed += await this.remove(id).then(() => 1, () => 0);
    }
    return removed;
  }
}
