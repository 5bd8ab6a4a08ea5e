// Method and path of the notice gate's three routes, apart from their schemas: the SDK sends these requests the moment
// they are asked for, while the schemas that check the answers (zod, after the first paint) are still loading.
// contract/notice.ts builds its routes from these; nothing else spells them.

export const NOTICE_ADDRESSES = {
  getNotice: { method: 'get', path: '/notice' },
  startNoticeReceipt: { method: 'post', path: '/notice/receipts' },
  confirmNoticeReceipt: { method: 'post', path: '/notice/receipts/{id}/confirm' },
} as const;
