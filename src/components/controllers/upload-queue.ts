import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Attachment, UploadOptions } from '../../sdk/index.js';

/** `queued → uploading → done | failed | cancelled`; failed and cancelled items go back to `queued` on retry. */
export type UploadStatus = 'queued' | 'uploading' | 'done' | 'failed' | 'cancelled';

/** A finished attachment; `sha256` is missing only for an item restored from a draft that did not keep it. */
export type AttachmentRef = Omit<Attachment, 'sha256'> & { sha256?: string };

/** The upload call (the SDK's `uploadAttachment` in the element; tests may pass their own). */
export type UploadFn = (file: Blob, options: UploadOptions) => Promise<Attachment>;

export interface UploadItem<M> {
  /** Local key, stable for the item's life; never sent anywhere. */
  readonly key: string;
  /** What is sent (already checked and, for photos, stripped); undefined for items restored from a draft. */
  readonly file: Blob | undefined;
  /** The host's own data about the item (display name, type…); the queue never reads it. */
  readonly meta: M;
  readonly status: UploadStatus;
  /** Bytes the server confirmed. */
  readonly sent: number;
  readonly total: number;
  readonly attachment: AttachmentRef | undefined;
  /** Why the last attempt failed (an SDK error), while `failed`. */
  readonly error: unknown;
}

interface Entry<M> {
  key: string;
  file: Blob | undefined;
  meta: M;
  status: UploadStatus;
  sent: number;
  total: number;
  attachment: AttachmentRef | undefined;
  error: unknown;
  /** The tus upload URL of the first attempt: a retry continues it instead of sending everything again. */
  uploadUrl: string | undefined;
  /** Aborts the running attempt. */
  abort: AbortController | undefined;
  /** Bumped per attempt, so a late answer of an aborted attempt changes nothing. */
  attempt: number;
}

export interface UploadQueueOptions<M> {
  /** Reads the upload call when an attempt starts, so a client set later is used. */
  upload: () => UploadFn;
  /** Uploads running at once; 2 by default (a phone on a weak signal gains nothing from more). */
  concurrency?: number;
  /** After an item's status changed (not on progress): the host updates its form value and fires its event. */
  onChange?: (item: UploadItem<M>) => void;
}

let keys = 0;

/**
 * Uploads evidence files as soon as they are added, two at a time, each with its own progress, cancel and retry.
 * A failed item retries alone and resumes from its upload URL. Disconnecting the host aborts every running upload
 * and puts it back in the queue; reconnecting (an element moved in the page) resumes them where they stopped.
 */
export class UploadQueue<M> implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: UploadQueueOptions<M>;
  #entries: Entry<M>[] = [];
  #connected = false;

  constructor(host: ReactiveControllerHost, options: UploadQueueOptions<M>) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** Every item, in the order added (restored items where they were put). */
  get items(): readonly UploadItem<M>[] {
    return this.#entries;
  }

  /** True while anything is queued or uploading: a form must not submit then. */
  get busy(): boolean {
    return this.#entries.some((e) => e.status === 'queued' || e.status === 'uploading');
  }

  /** Finished attachments, in list order. */
  get attachments(): AttachmentRef[] {
    return this.#entries.flatMap((e) => (e.status === 'done' && e.attachment ? [e.attachment] : []));
  }

  /** Adds a file to upload at once (or as soon as a slot is free); returns its key. */
  add(file: Blob, meta: M): string {
    const entry = this.#entry(file, meta, 'queued');
    this.#entries.push(entry);
    this.#changed(entry);
    this.#pump();
    return entry.key;
  }

  /**
   * Replaces the items restored earlier with finished ones from a draft, put before the files added in this visit.
   * Nothing is uploaded and no change is reported: the owner set them.
   */
  restore(items: readonly { attachment: AttachmentRef; meta: M }[]): void {
    const kept = this.#entries.filter((e) => e.file !== undefined);
    const restored = items.map(({ attachment, meta }) => {
      const entry = this.#entry(undefined, meta, 'done');
      entry.attachment = attachment;
      entry.sent = entry.total = attachment.size;
      return entry;
    });
    this.#entries = [...restored, ...kept];
    this.#host.requestUpdate();
  }

  /** Stops a queued or running upload; the item stays, `cancelled`, until removed or retried. */
  cancel(key: string): void {
    const entry = this.#find(key);
    if (!entry || (entry.status !== 'queued' && entry.status !== 'uploading')) return;
    this.#stop(entry, 'cancelled');
    this.#pump();
  }

  /** Queues a failed or cancelled item again; it continues from its upload URL when the server still has it. */
  retry(key: string): void {
    const entry = this.#find(key);
    if (!entry?.file || (entry.status !== 'failed' && entry.status !== 'cancelled')) return;
    entry.status = 'queued';
    entry.error = undefined;
    this.#changed(entry);
    this.#pump();
  }

  /** Takes an item off the list, aborting its upload first. */
  remove(key: string): void {
    const entry = this.#find(key);
    if (!entry) return;
    entry.attempt++;
    entry.abort?.abort();
    entry.abort = undefined;
    entry.status = 'cancelled';
    this.#entries = this.#entries.filter((e) => e !== entry);
    this.#changed(entry);
    this.#pump();
  }

  /** Aborts everything and empties the list (form reset). */
  clear(): void {
    for (const entry of this.#entries) if (entry.status === 'uploading') this.#stop(entry, 'cancelled');
    this.#entries = [];
    this.#host.requestUpdate();
  }

  hostConnected(): void {
    this.#connected = true;
    this.#pump();
  }

  hostDisconnected(): void {
    this.#connected = false;
    // Abort, but keep the place in the queue and the upload URL: a moved element picks up where it stopped.
    for (const entry of this.#entries) if (entry.status === 'uploading') this.#stop(entry, 'queued');
  }

  #entry(file: Blob | undefined, meta: M, status: UploadStatus): Entry<M> {
    const total = file?.size ?? 0;
    return { key: `u${++keys}`, file, meta, status, sent: 0, total, attachment: undefined, error: undefined, uploadUrl: undefined, abort: undefined, attempt: 0 };
  }

  #find(key: string): Entry<M> | undefined {
    return this.#entries.find((e) => e.key === key);
  }

  #stop(entry: Entry<M>, status: 'cancelled' | 'queued'): void {
    entry.attempt++;
    entry.abort?.abort();
    entry.abort = undefined;
    entry.status = status;
    this.#changed(entry);
  }

  #changed(entry: Entry<M>): void {
    this.#host.requestUpdate();
    this.#options.onChange?.(entry);
  }

  #pump(): void {
    if (!this.#connected) return;
    const limit = Math.max(1, this.#options.concurrency ?? 2);
    let running = this.#entries.filter((e) => e.status === 'uploading').length;
    for (const entry of this.#entries) {
      if (running >= limit) break;
      if (entry.status !== 'queued' || !entry.file) continue;
      running++;
      void this.#start(entry, entry.file);
    }
  }

  async #start(entry: Entry<M>, file: Blob): Promise<void> {
    const attempt = ++entry.attempt;
    const abort = new AbortController();
    entry.abort = abort;
    entry.status = 'uploading';
    entry.error = undefined;
    this.#changed(entry);
    const current = () => entry.attempt === attempt && entry.status === 'uploading';
    try {
      const options: UploadOptions = {
        signal: abort.signal,
        onProgress: ({ sent, total }) => {
          if (!current()) return;
          entry.sent = sent;
          entry.total = total;
          this.#host.requestUpdate();
        },
        onUploadUrl: (url) => {
          if (entry.attempt === attempt) entry.uploadUrl = url;
        },
      };
      if (entry.uploadUrl !== undefined) options.resumeFrom = entry.uploadUrl;
      const attachment = await this.#options.upload()(file, options);
      if (!current()) return;
      entry.attachment = attachment;
      entry.sent = entry.total;
      entry.status = 'done';
    } catch (error) {
      if (!current()) return;
      entry.error = error;
      entry.status = 'failed';
    }
    entry.abort = undefined;
    this.#changed(entry);
    this.#pump();
  }
}
