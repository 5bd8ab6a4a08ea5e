import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { ATTACHMENT_LIMITS, Attachment, AttachmentMime } from '../../sdk/schemas/attachments.js';
import { Id } from '../../sdk/schemas/common.js';
import { LIMITS } from '../../sdk/schemas/report.js';
import { checkFileBeforeUpload, sniffFile } from '../../sdk/upload.js';
import { isAqjbError } from '../../sdk/errors.js';
import { MediaFormatError, stripFileMetadata } from '../../sdk/media/strip-metadata.js';
import { UploadQueue, type AttachmentRef, type UploadItem } from '../controllers/upload-queue.js';
import { AqjbApiElement } from '../internal/client.js';
import type { Messages } from '../locales/localize.js';
import { baseStyles } from '../internal/styles.js';
import { fieldStyles } from '../internal/field-styles.js';
import styles from './evidence-upload.styles.js';
import { registerMessages } from '../locales/localize.js';
import zhUpload from '../locales/zh-CN/upload.js';

registerMessages('upload', zhUpload);

/** A finished file with its local name: what a draft keeps and gives back through `restored`. */
export interface EvidenceFile {
  attachmentId: string;
  /** Shown to the citizen only; never sent to the server or put in an event. */
  name: string;
  size: number;
  mime: AttachmentMime;
  sha256?: string;
}

/** What `restored` accepts: a draft read back from storage, checked before use. */
type RestoredInput = Omit<EvidenceFile, 'mime'> & { mime: string };

interface Meta {
  name: string;
  mime: AttachmentMime;
  /** A photo whose GPS block was kept at the citizen's request. */
  keptLocation?: boolean;
}

type Refusal =
  | { kind: 'type' | 'documentSize' | 'videoSize' | 'damaged' | 'damagedVideo'; name: string }
  | { kind: 'tooMany'; skipped: number }
  | { kind: 'full' };

type Prepared = { blob: Blob; mime: AttachmentMime } | { refusal: Refusal };

const MiB = 1024 * 1024;

/**
 * @summary Evidence files for a report or a supplement: photos, videos and PDFs, checked by content and uploaded at
 * once with their own progress, cancel and retry. Photos and videos lose their location and device metadata before
 * they leave the phone (a photo keeps its GPS block alone when the citizen chooses to keep the location); the server
 * removes a PDF's author and other document properties. Each finished file says what was removed.
 *
 * @tag aqjb-evidence-upload
 *
 * @event {AqjbAttachmentsChangeEvent} aqjb-attachments-change - The citizen added, finished, cancelled, retried or
 * deleted a file. `detail.attachments` lists the finished ones (`attachmentId`, `size`, `mime`, `sha256`; never a
 * name), `detail.busy` is true while one still uploads.
 *
 * @csspart base - The whole group.
 * @csspart privacy - The sentences on what is removed from photos, videos and PDF files.
 * @csspart pick-button - The 「拍照」 and 「录像」 buttons.
 * @csspart drop-zone - The 「选择文件」 button, which is also where files can be dropped.
 * @csspart refusals - Why picked files were not added (type, size, count).
 * @csspart file-list - The list of added files.
 * @csspart file - One added file.
 * @csspart file-status - The status line of one file.
 * @csspart file-removed - Under an uploaded file: what was removed from it (location, device, author).
 * @csspart progress - The progress bar of one file.
 *
 * @cssproperty [--aqjb-color-accent=#a61b1b] - Colour of the buttons.
 * @cssproperty [--aqjb-color-focus=#0b57d0] - Focus ring and progress bar.
 * @cssproperty [--aqjb-color-success=#1a7f37] - The 「已上传」 status.
 * @cssproperty [--aqjb-color-error=#b3261e] - Failures and refused files.
 * @cssproperty [--aqjb-color-border=#8c959f] - Drop zone and file borders.
 * @cssproperty [--aqjb-color-track=#eaeef2] - The unfilled part of a progress bar.
 * @cssproperty [--aqjb-target-size=44px] - Smallest height of every button; `--aqjb-target-size-large` (56px) with `text-size="large"`.
 */
export class AqjbEvidenceUpload extends AqjbApiElement {
  static override styles = [baseStyles, fieldStyles, styles];
  /** @internal */
  static formAssociated = true;
  // Declared here, not with decorators: see AqjbElement.
  static override properties: PropertyDeclarations = {
    max: { type: Number },
    disabled: { type: Boolean, reflect: true },
    name: {},
  };
  static {
    for (const name of ['keepLocation', 'refusals', 'dragging', 'liveText']) this.createProperty(name, { state: true });
  }

  /** Most files the citizen may add; the report's limit (9) by default. */
  max: number = LIMITS.attachments;

  /** Turns off adding, cancelling, retrying and deleting files, e.g. while the form is being sent. */
  disabled = false;

  /** Name of the attachment-id entries this element adds to its form's FormData. */
  name = 'attachmentIds';

  private keepLocation = false;
  /** Photos sent as taken, because the citizen chose to keep their location. */
  #keptLocation = new WeakSet<Blob>();
  private refusals: Refusal[] = [];
  private dragging = false;
  private liveText = '';

  readonly #internals = this.attachInternals();
  readonly #queue = new UploadQueue<Meta>(this, {
    // The server strips every file again on arrival; for these photos it keeps the GPS block, as here.
    upload: () => (file, options) => this.sdk.uploadAttachment(file, { ...options, keepLocation: this.#keptLocation.has(file) }),
    onChange: (item) => this.#onItemChange(item),
  });
  #preparing = 0;
  #formDisabled = false;
  #announcements: string[] = [];
  #lastReported = '';

  /** Finished attachments, in list order (restored ones first); `attachmentId` goes in the report's `attachmentIds`. */
  get attachments(): AttachmentRef[] {
    return this.#queue.attachments.map(({ attachmentId, size, mime, sha256 }) =>
      sha256 === undefined ? { attachmentId, size, mime } : { attachmentId, size, mime, sha256 },
    );
  }

  /** True while a file is being checked or uploaded: the form must not submit then. */
  get busy(): boolean {
    return this.#preparing > 0 || this.#queue.busy;
  }

  /** Finished files with their names, for a draft kept in this browser (names are never sent). */
  get value(): EvidenceFile[] {
    return this.#queue.items.flatMap((item) => (item.status === 'done' && item.attachment ? [this.#fileOf(item.attachment, item.meta)] : []));
  }

  /** Finished files restored from a draft, shown before the files added in this visit; setting it fires nothing. */
  get restored(): EvidenceFile[] {
    return this.#queue.items.flatMap((item) => (item.file === undefined && item.attachment ? [this.#fileOf(item.attachment, item.meta)] : []));
  }

  set restored(files: readonly RestoredInput[] | null | undefined) {
    // A draft comes back from storage: keep only entries the contract would accept.
    const restored = (Array.isArray(files) ? files : []).flatMap((file: RestoredInput | null) => {
      if (typeof file !== 'object' || file === null) return [];
      const { attachmentId, name, size, mime: declared, sha256 } = file;
      const mime = AttachmentMime.safeParse(declared);
      if (!Id.safeParse(attachmentId).success || !mime.success || !Number.isSafeInteger(size) || size < 0) return [];
      const hash = Attachment.shape.sha256.safeParse(sha256).success ? { sha256: sha256 as string } : {};
      return [{ attachment: { attachmentId, size, mime: mime.data, ...hash }, meta: { name: String(name ?? ''), mime: mime.data } }];
    });
    this.#queue.restore(restored);
    this.#syncForm();
    this.#lastReported = this.#reportKey(); // the owner set it: no event
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#syncForm();
  }

  /** @internal */
  formResetCallback(): void {
    this.#queue.clear();
    this.refusals = [];
    this.keepLocation = false;
    this.#syncForm();
    this.#lastReported = this.#reportKey();
  }

  /** @internal */
  formStateRestoreCallback(state: unknown): void {
    if (typeof state !== 'string') return;
    try {
      this.restored = JSON.parse(state) as EvidenceFile[];
    } catch {
      // not ours: nothing to restore
    }
  }

  /** @internal */
  formDisabledCallback(disabled: boolean): void {
    this.#formDisabled = disabled;
    this.requestUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (this.#announcements.length) {
      const text = this.#announcements.join(' ');
      this.#announcements = [];
      // The same sentence twice in a row is not spoken again unless the text changes.
      this.liveText = text === this.liveText ? `${text}\u00a0` : text;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    this.#syncValidity(); // the anchor exists only after the first render
  }

  protected override render(): TemplateResult {
    const t = this.t.upload;
    const items = this.#queue.items;
    const disabled = this.#isDisabled;
    const full = items.length >= this.max;
    // No title of its own: the owner's heading or label names the section (report form, supplement form).
    return html`<div
      part="base"
      class="base"
      @dragover=${this.#onDragOver}
      @dragleave=${this.#onDragLeave}
      @drop=${this.#onDrop}
    >
      <p id="rules" class="hint">${t.rules(this.max, ATTACHMENT_LIMITS.documentBytes / MiB, ATTACHMENT_LIMITS.videoBytes / MiB)}</p>
      <p part="privacy" class="privacy">${t.photoPrivacy}</p>
      <div class="check">
        <input
          type="checkbox"
          id="keep-location"
          .checked=${this.keepLocation}
          ?disabled=${disabled}
          @change=${(e: Event) => (this.keepLocation = (e.target as HTMLInputElement).checked)}
        />
        <label for="keep-location">${t.keepLocation}</label>
      </div>
      <p part="privacy" class="privacy">${t.videoPrivacy}</p>
      <p part="privacy" class="privacy">${t.pdfPrivacy}</p>

      <div class="pickers">
        ${this.#picker('pick-photo', t.takePhoto, 'image/*')} ${this.#picker('pick-video', t.recordVideo, 'video/*')}
        <input
          type="file"
          id="pick-files"
          class="visually-hidden"
          accept="image/jpeg,image/png,application/pdf,video/mp4"
          multiple
          aria-describedby="rules count"
          ?disabled=${disabled}
          @click=${this.#onPickClick}
          @change=${this.#onPick}
        />
        <label for="pick-files" part="drop-zone" class="drop-zone ${this.dragging ? 'dragging' : ''}">
          <span class="button">${t.chooseFiles}</span>
          <span class="drop-hint" aria-hidden="true">${t.dropHint}</span>
        </label>
      </div>

      ${this.refusals.length
        ? html`<ul part="refusals" class="refusals">
            ${this.refusals.map((r) => html`<li>${this.#refusalText(r)}</li>`)}
          </ul>`
        : nothing}
      ${items.length ? html`<p id="count" class="count">${full ? t.full(this.max) : t.count(items.length, this.max)}</p>` : nothing}
      ${items.length
        ? html`<ul part="file-list" class="files" aria-label=${t.listLabel}>
            ${items.map((item) => keyed(item.key, this.#renderItem(item, disabled)))}
          </ul>`
        : nothing}
      <div class="visually-hidden" aria-live="polite">${this.liveText}</div>
    </div>`;
  }

  /** A camera or video-camera button: on a phone, `capture` opens the camera directly. */
  #picker(id: string, label: string, accept: string): TemplateResult {
    return html`<input
        type="file"
        id=${id}
        class="visually-hidden"
        accept=${accept}
        capture="environment"
        aria-describedby="rules count"
        ?disabled=${this.#isDisabled}
        @click=${this.#onPickClick}
        @change=${this.#onPick}
      />
      <label for=${id} part="pick-button" class="button secondary pick">${label}</label>`;
  }

  #renderItem(item: UploadItem<Meta>, disabled: boolean): TemplateResult {
    const t = this.t.upload;
    const { mime } = item.meta;
    // Bidi controls in a file name can make 「‮gnp.exe.pdf」 read as another type: they are shown removed.
    const name = item.meta.name.replace(/[\u202A-\u202E\u2066-\u2069]/g, '');
    const target = html`<span class="visually-hidden">${t.actionTarget(name)}</span>`;
    const running = item.status === 'queued' || item.status === 'uploading';
    const reason = item.status === 'failed' ? this.#failure(item.error) : undefined;
    const canRetry = item.status === 'cancelled' || (reason !== undefined && reason !== 'rejected');
    const percent = item.total > 0 ? Math.floor((item.sent * 100) / item.total) : 0;
    // One button stays in place while its job changes (取消 → 重试 or 删除), so keyboard focus is never dropped.
    const [label, action] = running
      ? [t.cancel, () => this.#queue.cancel(item.key)]
      : canRetry
        ? [t.retry, () => this.#queue.retry(item.key)]
        : [t.remove, () => void this.#remove(item.key)];
    return html`<li part="file" class="file" data-status=${item.status} data-key=${item.key}>
      <div class="info">
        <p class="file-name" id="name-${item.key}">${name}</p>
        <p class="file-meta">${t.kind[mime]} · ${this.#size(item.total)}</p>
        ${running
          ? html`<progress part="progress" max="100" .value=${percent} aria-labelledby="name-${item.key}"></progress>`
          : nothing}
        <p part="file-status" class="file-status">
          ${item.status === 'uploading'
            ? t.status.uploading(percent)
            : item.status === 'failed'
              ? t.failed[reason ?? 'other']
              : t.status[item.status]}
        </p>
        ${item.status === 'done' ? html`<p part="file-removed" class="file-removed">${this.#removed(item.meta)}</p>` : nothing}
      </div>
      <div class="actions">
        <button type="button" class="secondary" ?disabled=${disabled} @click=${action}>${label}${target}</button>
        ${canRetry
          ? html`<button type="button" class="link" ?disabled=${disabled} @click=${() => void this.#remove(item.key)}>
              ${t.remove}${target}
            </button>`
          : nothing}
      </div>
    </li>`;
  }

  get #isDisabled(): boolean {
    return this.disabled || this.#formDisabled;
  }

  #fileOf(attachment: AttachmentRef, meta: Meta): EvidenceFile {
    return { ...attachment, name: meta.name };
  }

  /** What was taken out of this file: said under it once it is uploaded, and announced with 「已上传」. */
  #removed(meta: Meta): string {
    const t = this.t.upload;
    return meta.keptLocation ? t.removedKeptLocation : t.removed[meta.mime];
  }

  #failure(error: unknown): keyof Messages['upload']['failed'] {
    const code = isAqjbError(error) ? error.code : '';
    if (code === 'ATTACHMENT_REJECTED' || code === 'BODY_TOO_LARGE' || code === 'UNSUPPORTED_MEDIA_TYPE') return 'rejected';
    if (code === 'RATE_LIMITED' || code === 'UNAVAILABLE') return 'rateLimited';
    if (code === 'STORAGE_FULL') return 'storageFull';
    if (code === 'NETWORK' || code === 'TIMEOUT') return 'network';
    return 'other';
  }

  #size(bytes: number): string {
    const t = this.t.upload;
    if (bytes < MiB) {
      const kb = Math.max(1, Math.round(bytes / 1024));
      return t.sizeKb(new Intl.NumberFormat(this.lang_).format(kb));
    }
    return t.sizeMb(new Intl.NumberFormat(this.lang_, { maximumFractionDigits: 1 }).format(bytes / MiB));
  }

  #refusalText(r: Refusal): string {
    const t = this.t.upload;
    switch (r.kind) {
      case 'tooMany':
        return t.refused.tooMany(this.max, r.skipped);
      case 'full':
        return t.full(this.max);
      case 'documentSize':
        return t.refused.documentSize(r.name, ATTACHMENT_LIMITS.documentBytes / MiB);
      case 'videoSize':
        return t.refused.videoSize(r.name, ATTACHMENT_LIMITS.videoBytes / MiB);
      default:
        return t.refused[r.kind](r.name);
    }
  }

  #onPickClick = (e: Event) => {
    // Full: say so instead of opening a picker whose files could not be added. The control stays focusable.
    if (this.#queue.items.length + this.#preparing < this.max) return;
    e.preventDefault();
    this.refusals = [{ kind: 'full' }];
    this.#announce(this.t.upload.full(this.max));
  };

  #onPick = (e: Event) => {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = ''; // the same file can be picked again after a deletion
    void this.#addFiles(files);
  };

  #onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault(); // allows the drop, and keeps the browser from opening the file instead
    e.dataTransfer.dropEffect = this.#isDisabled ? 'none' : 'copy';
    this.dragging = !this.#isDisabled;
  };

  #onDragLeave = (e: DragEvent) => {
    const to = e.relatedTarget as Node | null;
    if (!to || !(e.currentTarget as Element).contains(to)) this.dragging = false;
  };

  #onDrop = (e: DragEvent) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    this.dragging = false;
    if (!this.#isDisabled) void this.#addFiles([...e.dataTransfer.files]);
  };

  async #addFiles(files: File[]): Promise<void> {
    if (!files.length || this.#isDisabled) return;
    const room = Math.max(0, this.max - this.#queue.items.length - this.#preparing);
    const accepted = files.slice(0, room);
    const refusals: Refusal[] = [];
    const keepLocation = this.keepLocation; // as it was when the citizen picked
    this.#preparing += accepted.length;
    this.refusals = [];
    this.#changed();
    for (const file of accepted) {
      try {
        const prepared = await this.#prepare(file, keepLocation);
        if ('refusal' in prepared) refusals.push(prepared.refusal);
        else {
          const keptLocation = keepLocation && prepared.mime === 'image/jpeg';
          if (keptLocation) this.#keptLocation.add(prepared.blob);
          this.#queue.add(prepared.blob, { name: file.name, mime: prepared.mime, keptLocation });
        }
      } finally {
        this.#preparing--;
      }
    }
    if (files.length > accepted.length) refusals.push({ kind: 'tooMany', skipped: files.length - accepted.length });
    this.refusals = refusals;
    if (refusals.length) this.#announce(refusals.map((r) => this.#refusalText(r)).join(' '));
    this.#changed();
  }

  /**
   * Checks type and size by content, then strips photo and video metadata here, so it never leaves the device (a
   * video is read by slices, never whole). A PDF goes as it is: the server removes its document properties.
   */
  async #prepare(file: File, keepLocation: boolean): Promise<Prepared> {
    const check = await checkFileBeforeUpload(file);
    if (!check.ok) {
      if (check.reason === 'type') return { refusal: { kind: 'type', name: file.name } };
      const video = (await sniffFile(file)) === 'video/mp4';
      return { refusal: { kind: video ? 'videoSize' : 'documentSize', name: file.name } };
    }
    const { mime } = check;
    try {
      // A nameless Blob with the type found by content: neither the name nor the declared type is sent.
      return { blob: await stripFileMetadata(file, mime, { keepLocation }), mime };
    } catch (error) {
      // The server refuses a file it cannot check and clean; say so now rather than after the upload.
      if (error instanceof MediaFormatError) return { refusal: { kind: mime === 'video/mp4' ? 'damagedVideo' : 'damaged', name: file.name } };
      throw error;
    }
  }

  async #remove(key: string): Promise<void> {
    const items = this.#queue.items;
    const at = items.findIndex((i) => i.key === key);
    const next = items[at + 1] ?? items[at - 1];
    this.#queue.remove(key);
    await this.updateComplete;
    // Focus goes to the neighbouring file, or back to 「选择文件」 when the list is empty.
    const target = next
      ? this.renderRoot.querySelector<HTMLElement>(`[data-key="${next.key}"] button`)
      : this.renderRoot.querySelector<HTMLElement>('#pick-files');
    target?.focus();
  }

  #onItemChange(item: UploadItem<Meta>): void {
    if (item.status === 'done') this.#announce(this.t.upload.announce.done(item.meta.name, this.#removed(item.meta)));
    if (item.status === 'failed') {
      this.#announce(this.t.upload.announce.failed(item.meta.name, this.t.upload.failed[this.#failure(item.error)]));
    }
    this.#changed();
  }

  /** Form value, validity and the change event, after the citizen did something or an upload settled. */
  #changed(): void {
    this.#syncForm();
    const key = this.#reportKey();
    if (key === this.#lastReported) return;
    this.#lastReported = key;
    this.emit('aqjb-attachments-change', { attachments: this.attachments, busy: this.busy });
  }

  #reportKey(): string {
    return JSON.stringify([this.busy, this.#queue.attachments.map((a) => a.attachmentId)]);
  }

  #announce(text: string): void {
    this.#announcements.push(text);
    this.requestUpdate();
  }

  #syncForm(): void {
    // Synchronously: a FormData read right after a change must see it.
    const data = new FormData();
    for (const a of this.#queue.attachments) data.append(this.name || 'attachmentIds', a.attachmentId);
    this.#internals.setFormValue(data, JSON.stringify(this.value));
    this.#syncValidity();
  }

  #syncValidity(): void {
    const busy = this.busy;
    const anchor = this.renderRoot?.querySelector<HTMLElement>('#pick-files') ?? undefined;
    this.#internals.setValidity(busy ? { customError: true } : {}, busy ? this.t.upload.busy : '', anchor);
  }
}
