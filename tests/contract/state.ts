/**
 * What the contract suites need before an operation can succeed: notice tokens, a receipt, a filed report with its
 * key, uploads open and finished, a staff token. Built through the API itself (and the staff-token tool's function).
 */
import { randomUUID } from 'node:crypto';
import { createClient } from '../../src/sdk/index.js';
import { createStaffToken } from '../../src/server/staff/index.js';
import { anonymousDraft, readNotice, staffLetter, type TestServer } from '../support/reference-server.js';
import { createUpload, finishedUpload, PNG_1x1 } from './uploads.js';

export interface ContractState {
  /** Unused notice tokens; each report or SMS request uses one up. */
  ackTokens: string[];
  receiptId: string;
  report: { code: string; key: string };
  openUploadId: string;
  finishedUploadId: string;
  staffToken: string;
  /** Reads the notice `count` more times (on the server's clock) for the operations that use tokens up. */
  refill(count: number): Promise<void>;
  /** A well-formed value for a parameter or body, by operation and name; undefined when there is none. */
  good(operation: string, name: string): unknown;
}

export async function contractState(server: TestServer, tokens = 4): Promise<ContractState> {
  const client = createClient({ baseUrl: server.url, retry: 0 });
  const ackTokens: string[] = [];
  for (let i = 0; i < tokens + 1; i++) ackTokens.push(await readNotice(server, client));
  const { receiptId } = await client.startNoticeReceipt();
  const filed = await fetch(new URL('reports', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'Idempotency-Key': randomUUID() },
    body: JSON.stringify(anonymousDraft(ackTokens.pop()!)),
  });
  if (filed.status !== 201) throw new Error(`filing the setup report answered ${filed.status}: ${await filed.text()}`);
  const receipt = (await filed.json()) as { reportCode: string; queryKey: string };
  const open = await createUpload(server, 1000);
  const finished = await finishedUpload(server);
  const { token } = await createStaffToken(server.sql, { scope: '410000', role: 'handler', label: '契约测试' });
  const state: ContractState = {
    ackTokens,
    receiptId,
    report: { code: receipt.reportCode, key: receipt.queryKey },
    openUploadId: open.id,
    finishedUploadId: finished.id,
    staffToken: token,
    async refill(count) {
      for (let i = 0; i < count; i++) state.ackTokens.push(await readNotice(server, client));
    },
    good(operation, name) {
      const ack = () => state.ackTokens.pop() ?? 'used-up';
      switch (name) {
        case 'Idempotency-Key':
          return randomUUID();
        case 'Tus-Resumable':
          return '1.0.0';
        case 'Upload-Length':
          return PNG_1x1.length;
        case 'Upload-Offset':
          return 0;
        case 'Upload-Metadata':
          return `filetype ${Buffer.from('image/png').toString('base64')}`;
        case 'X-Report-Code':
          return state.report.code;
        case 'X-Query-Key':
          return state.report.key;
        case 'parent':
          return '410100';
        case 'within':
          return '410000';
        case 'q':
          return '金水';
        case 'code':
          return operation.includes('/regions/') ? '410105' : state.report.code;
        case 'id':
          if (operation.includes('/notice/')) return state.receiptId;
          return operation.startsWith('DELETE') ? state.openUploadId : state.finishedUploadId;
        case 'body':
          if (operation === 'POST /reports') return anonymousDraft(ack());
          if (operation === 'POST /sms/codes') return { phone: '13800000000', ackToken: state.ackTokens.at(-1) ?? 'none' }; // not used up
          if (operation === 'POST /staff/reports') return staffLetter(`letter-${randomUUID()}`);
          if (operation === 'POST /reports/supplements') return { text: '补充：报警器型号为某某 A1。', attachmentIds: [] };
          if (operation === 'PATCH /uploads/{id}') return PNG_1x1;
          return undefined;
        default:
          return undefined;
      }
    },
  };
  return state;
}
