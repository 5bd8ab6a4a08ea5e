/**
 * aqjb-embed/sdk — the typed client for the reporting API. No DOM: runs in browsers and Node 20.
 * The zod/mini schemas exported here are the contract; types are inferred from them.
 */
import './zod-setup.js';

export { createClient, type AqjbClient, type ClientOptions, type CallOptions } from './client.js';
export { QUERY_KEY_HEADER, REPORT_CODE_HEADER } from './contract/headers.js';
export { AqjbError, ApiError, ValidationError, NetworkError, TimeoutError, isAqjbError } from './errors.js';
export {
  parseReportCode,
  formatReportCode,
  normalizeQueryKey,
  type ParsedReportCode,
  type ReportCodeProblem,
} from './report-code.js';
export { toFieldIssues } from './issues.js';
export type { UploadOptions } from './upload.js';
export { checkFileBeforeUpload, sniffFile } from './upload.js';
export { stripMetadata } from './media/strip.js';
export { MediaFormatError } from './media/strip-metadata.js';
export { sniffMime } from './media/sniff.js';
export * from './schemas/index.js';
export { createStaffClient, type StaffClient, type StaffClientOptions } from './staff.js';
export * from './transition/index.js';
