import * as z from 'zod/mini';
import { Attachment } from '../schemas/attachments.js';
import { route } from './route.js';

export const TUS_VERSION = '1.0.0';
/** 128 random bits, base64url: exactly what the server issues. */
export const UploadId = z.string().check(z.regex(/^[A-Za-z0-9_-]{22}$/));
/** A byte count as tus sends it: decimal digits. */
const ByteCount = z.string().check(z.regex(/^\d{1,16}$/));
const TusResumable = z.literal(TUS_VERSION);
const HttpDate = z.string();

const tusHeaders = z.object({ 'Tus-Resumable': TusResumable });
const tusAnswer = { 'Tus-Resumable': TusResumable };
/** tus 1.0: a missing or other `Tus-Resumable` is 412 with the versions this server speaks. */
const versionRefused = { 412: z.object({ 'Tus-Version': z.string() }) };
const params = z.object({ id: UploadId });
const unknownId = { params: [404, 'NOT_FOUND'] } as const;

export const createUpload = route({
  operationId: 'createUpload',
  method: 'post',
  path: '/uploads',
  headers: z.object({
    ...tusHeaders.shape,
    'Upload-Length': ByteCount,
    'Upload-Metadata': z.optional(z.string()),
  }),
  responses: { 201: null },
  responseHeaders: {
    201: z.object({ Location: z.string(), ...tusAnswer, 'Upload-Expires': HttpDate }),
    ...versionRefused,
  },
  errors: { 400: ['BAD_REQUEST'], 412: ['TUS_VERSION_UNSUPPORTED'], 413: ['BODY_TOO_LARGE'], 429: ['RATE_LIMITED'], 507: ['STORAGE_FULL'] },
});

export const getUploadOffset = route({
  operationId: 'getUploadOffset',
  method: 'head',
  path: '/uploads/{id}',
  params,
  headers: tusHeaders,
  refuse: unknownId,
  responses: { 200: null },
  responseHeaders: {
    200: z.object({ 'Upload-Offset': ByteCount, 'Upload-Length': ByteCount, ...tusAnswer, 'Cache-Control': z.literal('no-store') }),
    ...versionRefused,
  },
  errors: { 404: ['NOT_FOUND'], 410: ['NOT_FOUND'], 412: ['TUS_VERSION_UNSUPPORTED'], 423: ['UPLOAD_LOCKED'] },
});

export const uploadChunk = route({
  operationId: 'uploadChunk',
  method: 'patch',
  path: '/uploads/{id}',
  params,
  headers: z.object({ ...tusHeaders.shape, 'Upload-Offset': ByteCount }),
  rawBody: 'application/offset+octet-stream',
  refuse: unknownId,
  responses: { 204: null },
  responseHeaders: {
    204: z.object({ 'Upload-Offset': ByteCount, ...tusAnswer, 'Upload-Expires': HttpDate }),
    ...versionRefused,
  },
  errors: {
    400: ['BAD_REQUEST'],
    404: ['NOT_FOUND'],
    409: ['ILLEGAL_TRANSITION'],
    410: ['NOT_FOUND'],
    412: ['TUS_VERSION_UNSUPPORTED'],
    413: ['BODY_TOO_LARGE'],
    415: ['UNSUPPORTED_MEDIA_TYPE'],
    423: ['UPLOAD_LOCKED'],
  },
});

export const deleteUpload = route({
  operationId: 'deleteUpload',
  method: 'delete',
  path: '/uploads/{id}',
  params,
  headers: tusHeaders,
  refuse: unknownId,
  responses: { 204: null },
  responseHeaders: { 204: z.object(tusAnswer), ...versionRefused },
  errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 412: ['TUS_VERSION_UNSUPPORTED'], 423: ['UPLOAD_LOCKED'] },
});

export const getUploadResult = route({
  operationId: 'getUploadResult',
  method: 'get',
  path: '/uploads/{id}/result',
  params,
  refuse: unknownId,
  responses: { 200: Attachment },
  errors: { 404: ['NOT_FOUND'], 409: ['ATTACHMENT_NOT_READY'], 422: ['ATTACHMENT_REJECTED'] },
});
