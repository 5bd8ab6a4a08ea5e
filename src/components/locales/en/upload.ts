import type { Messages } from '../localize.js';

export default {
  rules: (max: number, documentMb: number, videoMb: number) =>
    `You can add photos, videos or PDF files, up to ${max}: JPEG and PNG photos and PDF files up to ${documentMb} MB each, MP4 videos up to ${videoMb} MB each.`,
  photoPrivacy: 'Before a photo is uploaded, its location and phone details are removed on your own phone or computer.',
  videoPrivacy: 'Before a video is uploaded, its location and phone details are removed on your own phone or computer too.',
  pdfPrivacy: 'After a PDF file is uploaded, the system removes its author and other document properties.',
  keepLocation: 'Keep the location in my photos (helps the inspectors check, but reveals where the photo was taken)',
  takePhoto: 'Take a photo',
  recordVideo: 'Record a video',
  chooseFiles: 'Choose files',
  dropHint: 'or drag files here',
  count: (count: number, max: number) => `${count} ${count === 1 ? 'file' : 'files'} added; you can add ${max - count} more.`,
  full: (max: number) => `${max} files added, which is the limit. To change one, delete a file you do not need first.`,
  listLabel: 'Files added',
  kind: {
    'image/jpeg': 'Photo',
    'image/png': 'Image',
    'application/pdf': 'PDF file',
    'video/mp4': 'Video',
  },
  sizeKb: (kb: string) => `${kb} KB`,
  sizeMb: (mb: string) => `${mb} MB`,
  removed: {
    'image/jpeg': 'Location, phone model and similar details were removed from the photo.',
    'image/png': 'Location, device model and similar details were removed from the image.',
    'application/pdf': 'The author and other document properties were removed.',
    'video/mp4': 'Location, phone model and similar details were removed from the video.',
  },
  removedKeptLocation: 'The phone model and similar details were removed from the photo; its location was kept, as you chose.',
  status: {
    queued: 'Waiting to upload',
    uploading: (percent: number) => `Uploading, ${percent}%`,
    done: 'Uploaded',
    cancelled: 'Upload cancelled. This file will not be sent with the report.',
  },
  failed: {
    network: 'The connection dropped before the file was fully sent. Check your connection, then select “Retry”: the part already sent is kept.',
    rateLimited: 'The system is busy. Please wait a moment, then select “Retry”.',
    storageFull: 'The system cannot store more files right now, so this file was not sent. Select “Retry” later, or delete files you do not need (such as long videos) and send the report without them.',
    rejected: 'The system did not accept this file: it may be damaged or of the wrong type. Delete it and add another file.',
    other: 'The file was not fully sent. Please select “Retry”.',
  },
  cancel: 'Cancel',
  retry: 'Retry',
  remove: 'Delete',
  actionTarget: (name: string) => ` “${name}”`,
  refused: {
    type: (name: string) => `“${name}” cannot be uploaded. Please add JPEG or PNG photos, PDF files or MP4 videos.`,
    documentSize: (name: string, mb: number) => `“${name}” is larger than ${mb} MB and cannot be uploaded. Photos and PDF files must be ${mb} MB or less.`,
    videoSize: (name: string, mb: number) => `“${name}” is larger than ${mb} MB and cannot be uploaded. Videos must be ${mb} MB or less; you can shorten it and try again.`,
    damaged: (name: string) => `“${name}” cannot be read and may be damaged. Please take the photo again or choose another one.`,
    damagedVideo: (name: string) => `“${name}” cannot be read and may be damaged. Please record it again or choose another video.`,
    tooMany: (max: number, skipped: number) =>
      `You can add up to ${max} files; ${skipped} ${skipped === 1 ? 'file was' : 'files were'} not added. To change one, delete a file you do not need first.`,
  },
  announce: {
    done: (name: string, removed: string) => `“${name}” uploaded. ${removed}`,
    failed: (name: string, reason: string) => `“${name}” failed to upload. ${reason}`,
  },
  busy: 'Files are still uploading. Please wait until they finish before you submit.',
} satisfies Messages['upload'];
