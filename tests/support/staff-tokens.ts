import { createStaffClient, type StaffClient } from '../../src/sdk/staff.js';
import { createStaffToken } from '../../src/server/staff/index.js';
import type { StaffRole } from '../../src/sdk/schemas/staff.js';
import type { TestServer } from './reference-server.js';

/** Who is who in the staff tests: Henan's province, 郑州市 and three counties' bureaus, and 开封市 beside them. */
export const HENAN_STAFF = {
  henan: ['410000', 'handler'],
  henanReadOnly: ['410000', 'read-only'],
  henanBackfill: ['410000', 'backfill'],
  zhengzhou: ['410100', 'handler'], // 郑州市
  jinshui: ['410105', 'handler'], // 郑州市金水区
  erqi: ['410103', 'handler'], // 郑州市二七区
  kaifeng: ['410200', 'handler'], // 开封市
} as const satisfies Record<string, readonly [scope: string, role: StaffRole]>;

export type StaffName = keyof typeof HENAN_STAFF;
export interface IssuedToken {
  id: string;
  token: string;
  client: StaffClient;
}

/** A token (with an SDK client, no retries) for each of `HENAN_STAFF` on the test server's database. */
export async function issueHenanStaff(server: TestServer): Promise<Record<StaffName, IssuedToken>> {
  const issued = {} as Record<StaffName, IssuedToken>;
  for (const [name, [scope, role]] of Object.entries(HENAN_STAFF) as [StaffName, (typeof HENAN_STAFF)[StaffName]][]) {
    const { id, token } = await createStaffToken(server.sql, { scope, role, label: `测试 ${name}` });
    issued[name] = { id, token, client: createStaffClient({ baseUrl: server.url, token, retry: 0 }) };
  }
  return issued;
}
