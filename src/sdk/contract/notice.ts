import * as z from 'zod/mini';
import { Id } from '../schemas/base.js';
import { Notice, NoticeAck, NoticeConfirmation, NoticeReceipt } from '../schemas/notice.js';
import { NOTICE_ADDRESSES } from './notice-addresses.js';
import { route } from './route.js';

export const getNotice = route({
  operationId: 'getNotice',
  ...NOTICE_ADDRESSES.getNotice,
  responses: { 200: Notice },
  errors: {},
});

export const startNoticeReceipt = route({
  operationId: 'startNoticeReceipt',
  ...NOTICE_ADDRESSES.startNoticeReceipt,
  responses: { 201: NoticeReceipt },
  errors: { 429: ['RATE_LIMITED'] },
});

export const confirmNoticeReceipt = route({
  operationId: 'confirmNoticeReceipt',
  ...NOTICE_ADDRESSES.confirmNoticeReceipt,
  params: z.object({ id: Id }),
  // A missing or malformed solution spends nothing and is refused as a wrong one (CHALLENGE_INVALID).
  body: NoticeConfirmation,
  refuse: { params: [404, 'NOTICE_RECEIPT_NOT_FOUND'], body: 'absent' },
  responses: { 200: NoticeAck },
  errors: { 400: ['CHALLENGE_INVALID'], 404: ['NOTICE_RECEIPT_NOT_FOUND'], 409: ['NOTICE_TOO_EARLY'], 413: ['BODY_TOO_LARGE'] },
});
