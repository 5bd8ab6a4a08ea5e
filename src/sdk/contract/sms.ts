import { SmsCodeRequest, SmsCodeSent } from '../schemas/sms.js';
import { route } from './route.js';

export const sendSmsCode = route({
  operationId: 'sendSmsCode',
  method: 'post',
  path: '/sms/codes',
  body: SmsCodeRequest,
  responses: { 201: SmsCodeSent },
  errors: { 400: ['NOTICE_ACK_INVALID'], 429: ['RATE_LIMITED'], 503: ['UNAVAILABLE'] },
});
