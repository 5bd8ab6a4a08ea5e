import * as z from 'zod/mini';
import { DevAction, DevOutbox } from '../schemas/dev.js';
import { Progress } from '../schemas/progress.js';
import { route } from './route.js';

export const applyDevAction = route({
  operationId: 'applyDevAction',
  method: 'post',
  path: '/dev/reports/{code}/actions',
  dev: true,
  params: z.object({ code: z.string() }),
  body: DevAction,
  responses: { 200: Progress },
  errors: { 404: ['REPORT_NOT_FOUND'], 409: ['ILLEGAL_TRANSITION'] },
});

export const getDevOutbox = route({
  operationId: 'getDevOutbox',
  method: 'get',
  path: '/dev/outbox',
  dev: true,
  responses: { 200: DevOutbox },
  errors: {},
});
