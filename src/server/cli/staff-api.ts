/**
 * What the commands that call the staff API share (aqjb handle, aqjb inbox): the client for `--api` and the token,
 * and how a failed call is told to the operator (exit 1 with the server's answer, or 2 when nothing was sent).
 */
import { ApiError, ValidationError, isAqjbError } from '../../sdk/errors.js';
import { createStaffClient, type StaffClient } from '../../sdk/staff.js';
import type { Deadline } from '../../sdk/schemas/progress.js';
import { EXIT, UsageError, readStaffToken, type Io } from './command.js';
import { SERVE_DEFAULTS } from './serve.js';

/** Where `aqjb serve` listens by default: the staff commands' `--api` without `AQJB_API`. */
export const LOCAL_API = `http://${SERVE_DEFAULTS.host}:${SERVE_DEFAULTS.port}/`;
export const API_HELP = `  --api URL           参考服务器地址（或环境变量 AQJB_API；默认 ${LOCAL_API}）\n`;

/** A deadline's kind as the operator reads it. */
export const DEADLINE_NAMES: Record<Deadline['kind'], string> = { acceptance: '受理期限', verification: '核查期限' };

/** The staff client for `--api` and the token from `--token-file` or `AQJB_STAFF_TOKEN`; one attempt per call. */
export function openStaffClient(values: { api?: string; 'token-file'?: string; token?: string }, io: Io): StaffClient {
  const token = readStaffToken(values, io.env);
  try {
    return createStaffClient({ baseUrl: values.api!, token, retry: 0 });
  } catch (error) {
    throw new UsageError(isAqjbError(error) ? `${error.message}（${error.code}）` : (error as Error).message);
  }
}

/**
 * A failed staff call: the server's refusal or an unreachable server is written out (exit 1); what the SDK refused
 * before sending is a `UsageError` (exit 2); anything else propagates.
 */
export function staffCallFailed(error: unknown, staff: StaffClient, io: Io): number {
  if (error instanceof ValidationError) {
    const detail = error.fields.map((f) => `\n  ${f.path || 'action'}：${f.message}`).join('');
    // Status 0: the SDK refused it before sending.
    if (error.status === 0) throw new UsageError(`参数不正确：${error.message}${detail}`);
    io.err.write(`${error.status} ${error.code}：${error.message}${detail}\n`);
    return EXIT.failed;
  }
  if (error instanceof ApiError) {
    io.err.write(`${error.status} ${error.code}：${error.message}\n`);
    return EXIT.failed;
  }
  if (isAqjbError(error) && ['NETWORK', 'TIMEOUT'].includes(error.code)) {
    io.err.write(`无法连接参考服务器 ${staff.baseUrl}（${error.code}）：请确认服务器在运行，或用 --api 指定地址\n`);
    return EXIT.failed;
  }
  if (isAqjbError(error) && error.code === 'REPORT_CODE_INVALID') throw new UsageError(error.message);
  throw error;
}
