import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReportDraft, Reporter } from '../../src/sdk/schemas/report.js';
import { SmsCodeRequest } from '../../src/sdk/schemas/sms.js';
import { StaffReportEntry } from '../../src/sdk/schemas/staff.js';
import { Channel } from '../../src/sdk/schemas/progress.js';
import { StaffChannel } from '../../src/sdk/schemas/staff.js';
import { anonymousDraft, staffLetter } from '../support/reference-server.js';

const keysAt = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }, path: string) =>
  (result.error?.issues ?? []).filter((i) => i.path.join('.') === path).map((i) => i.message);

test('a day that does not exist (2026-02-30) is refused by the draft schema itself, before anything is sent', () => {
  // The document and the SDK's own check used to admit it; only the server refused it.
  for (const occurredAt of ['2026-02-30', '2026-02-29', '2025-13-01', '2025-6-1']) {
    assert.deepEqual(keysAt(ReportDraft.safeParse(anonymousDraft('t'.repeat(16), { occurredAt })), 'occurredAt'), ['occurredAt.invalid'], occurredAt);
    assert.deepEqual(keysAt(StaffReportEntry.safeParse(staffLetter('x-1', { occurredAt })), 'occurredAt'), ['occurredAt.invalid'], occurredAt);
  }
  assert.equal(ReportDraft.safeParse(anonymousDraft('t'.repeat(16), { occurredAt: '2024-02-29' })).success, true);
});

test('one mobile-number rule: the reporter and the SMS request accept and refuse the same numbers, each with its key', () => {
  const reporter = (phone: string) => Reporter.safeParse({ name: '张三', phone, smsCode: '123456' });
  const sms = (phone: string) => SmsCodeRequest.safeParse({ phone, ackToken: 'a'.repeat(16) });
  for (const phone of ['13800000000', ' 19912345678 ']) {
    assert.equal(reporter(phone).success, true, phone);
    assert.equal(sms(phone).success, true, phone);
  }
  for (const phone of ['1380000000', '138000000000', '12800000000', '1380000000x', '']) {
    assert.deepEqual(keysAt(reporter(phone), 'phone'), ['reporter.phone.invalid'], phone);
    assert.deepEqual(keysAt(sms(phone), 'phone'), ['phone.invalid'], phone);
  }
});

test('staff channels are the report channels except the web form', () => {
  assert.deepEqual([...StaffChannel.options, 'web'].sort(), [...Channel.options].sort());
});
