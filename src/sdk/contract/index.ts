// Every endpoint of the API, each declared once in its domain's file. The SDK's first screen imports only
// `./notice.js`; the server, openapi.json and the contract tests take this list.
import * as dev from './dev.js';
import * as dictionaries from './dictionaries.js';
import * as health from './health.js';
import * as lookup from './lookup.js';
import * as notice from './notice.js';
import * as regions from './regions.js';
import * as reports from './reports.js';
import * as sms from './sms.js';
import * as staff from './staff.js';
import * as uploads from './uploads.js';

export type { Method, Refusal, Route } from './route.js';

export const ROUTES = {
  getHealth: health.getHealth,
  getLiveness: health.getLiveness,
  getMetrics: health.getMetrics,
  getNotice: notice.getNotice,
  startNoticeReceipt: notice.startNoticeReceipt,
  confirmNoticeReceipt: notice.confirmNoticeReceipt,
  listRegions: regions.listRegions,
  searchRegions: regions.searchRegions,
  getRegion: regions.getRegion,
  getDictionaries: dictionaries.getDictionaries,
  sendSmsCode: sms.sendSmsCode,
  submitReport: reports.submitReport,
  getProgress: lookup.getProgress,
  addSupplement: lookup.addSupplement,
  createUpload: uploads.createUpload,
  getUploadOffset: uploads.getUploadOffset,
  uploadChunk: uploads.uploadChunk,
  deleteUpload: uploads.deleteUpload,
  getUploadResult: uploads.getUploadResult,
  enterReport: staff.enterReport,
  getReport: staff.getReport,
  listInbox: staff.listInbox,
  applyAction: staff.applyAction,
  applyDevAction: dev.applyDevAction,
  getDevOutbox: dev.getDevOutbox,
} as const;

export type Routes = typeof ROUTES;
export type OperationId = keyof Routes;
