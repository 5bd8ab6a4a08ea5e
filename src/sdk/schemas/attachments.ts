import * as z from 'zod/mini';
import { Id } from './common.js';
import { ATTACHMENT_LIMITS } from './limits.js';

/** Evidence types accepted, recognised by content (magic bytes), never by name or declared type. */
export const AttachmentMime = z.enum(['image/jpeg', 'image/png', 'application/pdf', 'video/mp4']);
export type AttachmentMime = z.infer<typeof AttachmentMime>;

export { ATTACHMENT_LIMITS } from './limits.js';

export const maxBytesFor = (mime: AttachmentMime) =>
  mime === 'video/mp4' ? ATTACHMENT_LIMITS.videoBytes : ATTACHMENT_LIMITS.documentBytes;

/** A finished upload, ready to be named in `attachmentIds`. */
export const Attachment = z.object({
  attachmentId: Id,
  size: z.number().check(z.int(), z.nonnegative()),
  mime: AttachmentMime,
  /** Hex SHA-256 of the stored bytes (after metadata was stripped). */
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
});
export type Attachment = z.infer<typeof Attachment>;
