// Expected values below were counted by hand from the official schedules, as printed from chinese-days 1.5.7
// (W = working day, - = rest day):
//
// 2025 春节   Fri 01-24 W | Sat 01-25 - | Sun 01-26 W (补班) | Mon 01-27 W | 01-28 … 02-04 - | Wed 02-05 W |
//             Thu 02-06 W | Fri 02-07 W | Sat 02-08 W (补班) | Sun 02-09 - | Mon 02-10 W
// 2025 国庆   Fri 09-26 W | Sat 09-27 - | Sun 09-28 W (补班) | Mon 09-29 W | Tue 09-30 W | 10-01 … 10-08 - |
//             Thu 10-09 W | Fri 10-10 W | Sat 10-11 W (补班) | Sun 10-12 - | Mon 10-13 W
// 2026 春节   Fri 02-13 W | Sat 02-14 W (补班) | 02-15 … 02-23 - | Tue 02-24 W | … | Sat 02-28 W (补班)
// 2026 中秋   09-25 … 09-27 - (Fri–Sun); 2026 国庆: Sun 09-20 W (补班) | 10-01 … 10-07 - | Thu 10-08 W |
//             Fri 10-09 W | Sat 10-10 W (补班) | Sun 10-11 -
// 2026 劳动节 05-01 … 05-05 - (Fri–Tue); 2026 元旦 01-01 … 01-03 -, Sun 01-04 W (补班)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  ACCEPT_WORKING_DAYS,
  MAX_EXTENSION_DAYS,
  VERIFY_WORKING_DAYS,
  acceptanceDue,
  addCalendarDays,
  addWorkingDays,
  beijingDate,
  calendarCovers,
  isWorkingDay,
  verificationDue,
  workingDaysBetween,
} from '../../src/server/deadlines.js';

/** Epoch ms of a Beijing wall-clock time (UTC+8). */
const bj = (date: string, time = '10:00') => Date.parse(`${date}T${time}:00+08:00`);

test('constants follow the manual', () => {
  assert.equal(ACCEPT_WORKING_DAYS, 3);
  assert.equal(VERIFY_WORKING_DAYS, 60);
  assert.equal(MAX_EXTENSION_DAYS, 30);
});

test('isWorkingDay: holidays, make-up working days, plain weekends', () => {
  assert.equal(isWorkingDay('2025-01-26'), true, 'Sunday make-up day (春节 2025)');
  assert.equal(isWorkingDay('2025-02-08'), true, 'Saturday make-up day (春节 2025)');
  assert.equal(isWorkingDay('2025-01-28'), false, '除夕 (Tuesday)');
  assert.equal(isWorkingDay('2025-02-04'), false, 'last day of 春节 2025 (Tuesday)');
  assert.equal(isWorkingDay('2025-02-05'), true);
  assert.equal(isWorkingDay('2025-01-25'), false, 'plain Saturday');
  assert.equal(isWorkingDay('2025-09-28'), true, 'Sunday make-up day (国庆 2025)');
  assert.equal(isWorkingDay('2025-10-06'), false, '中秋 inside 国庆 2025 (Monday)');
  assert.equal(isWorkingDay('2025-10-08'), false);
  assert.equal(isWorkingDay('2025-10-11'), true, 'Saturday make-up day (国庆 2025)');
  assert.equal(isWorkingDay('2026-02-14'), true, 'Saturday make-up day (春节 2026)');
  assert.equal(isWorkingDay('2026-02-23'), false, 'Monday, last day of 春节 2026');
  assert.equal(isWorkingDay('2026-02-28'), true, 'Saturday make-up day (春节 2026)');
  assert.equal(isWorkingDay('2026-09-20'), true, 'Sunday make-up day (国庆 2026)');
  assert.equal(isWorkingDay('2026-09-25'), false, '中秋 2026 (Friday)');
  assert.equal(isWorkingDay('2026-10-07'), false);
  assert.equal(isWorkingDay('2026-10-10'), true, 'Saturday make-up day (国庆 2026)');
  // Uncovered years: plain weekday rule. 2027-01-01 is a Friday, so it counts (the real schedule will differ).
  assert.equal(isWorkingDay('2027-01-01'), true);
  assert.equal(isWorkingDay('2027-01-02'), false);
});

test('calendarCovers: the years chinese-days has data for', () => {
  assert.equal(calendarCovers('2004-01-01'), true);
  assert.equal(calendarCovers('2003-12-31'), false);
  assert.equal(calendarCovers('2025-06-15'), true);
  assert.equal(calendarCovers('2026-12-31'), true);
  assert.equal(calendarCovers('2027-01-01'), false);
});

test('beijingDate: 23:30 UTC is already the next day in Beijing', () => {
  assert.equal(beijingDate(Date.UTC(2025, 0, 27, 23, 30)), '2025-01-28');
  assert.equal(beijingDate(Date.UTC(2025, 0, 27, 15, 59, 59, 999)), '2025-01-27');
  assert.equal(beijingDate(Date.UTC(2025, 0, 27, 16, 0)), '2025-01-28');
  assert.equal(beijingDate(Date.UTC(2025, 11, 31, 16, 0)), '2026-01-01', 'year boundary');
  assert.throws(() => beijingDate(Number.NaN), RangeError);
});

test('acceptanceDue: received on the Friday before a holiday', () => {
  // 2025-01-24 Fri → Sun 01-26 (1, 补班), Mon 01-27 (2), holiday 01-28…02-04, Wed 02-05 (3)
  assert.deepEqual(acceptanceDue(bj('2025-01-24')), { due: '2025-02-05', estimated: false });
  // 2025-09-26 Fri → Sun 09-28 (1, 补班), Mon 09-29 (2), Tue 09-30 (3): due before the holiday starts
  assert.deepEqual(acceptanceDue(bj('2025-09-26')), { due: '2025-09-30', estimated: false });
  // 2026-02-13 Fri → Sat 02-14 (1, 补班), holiday 02-15…02-23, Tue 02-24 (2), Wed 02-25 (3)
  assert.deepEqual(acceptanceDue(bj('2026-02-13')), { due: '2026-02-25', estimated: false });
  // 2026-09-30 Wed, last working day before 国庆 → Thu 10-08 (1), Fri 10-09 (2), Sat 10-10 (3, 补班)
  assert.deepEqual(acceptanceDue(bj('2026-09-30')), { due: '2026-10-10', estimated: false });
});

test('acceptanceDue: received on a make-up Saturday or a plain weekend', () => {
  // The day of receipt is never counted, even when it is itself a working day.
  // 2025-02-08 Sat (补班) → Sun 02-09 rest, Mon 02-10 (1), Tue 02-11 (2), Wed 02-12 (3)
  assert.deepEqual(acceptanceDue(bj('2025-02-08')), { due: '2025-02-12', estimated: false });
  // 2025-10-11 Sat (补班) → Mon 10-13, Tue 10-14, Wed 10-15
  assert.deepEqual(acceptanceDue(bj('2025-10-11')), { due: '2025-10-15', estimated: false });
  // 2026-02-14 Sat (补班) → holiday 02-15…02-23, Tue 02-24, Wed 02-25, Thu 02-26
  assert.deepEqual(acceptanceDue(bj('2026-02-14')), { due: '2026-02-26', estimated: false });
  // 2025-01-25 plain Sat → Sun 01-26 (补班), Mon 01-27, Wed 02-05
  assert.deepEqual(acceptanceDue(bj('2025-01-25')), { due: '2025-02-05', estimated: false });
});

test('acceptanceDue uses the Beijing date of receipt, not the UTC date', () => {
  // 2025-09-25T23:30Z is Fri 2025-09-26 07:30 in Beijing → Sun 09-28, Mon 09-29, Tue 09-30.
  // Counting from the UTC date (Thu 09-25) would wrongly give Fri 09-26, Sun 09-28, Mon 09-29.
  assert.deepEqual(acceptanceDue(Date.UTC(2025, 8, 25, 23, 30)), { due: '2025-09-30', estimated: false });
});

test('verificationDue: 60 working days across 国庆 2025', () => {
  // Accepted Mon 2025-09-01. Sep: 2–5 (4), 8–12 (9), 15–19 (14), 22–26 (19), Sun 28 补班 (20), 29–30 (22);
  // 10-01…10-08 off; Oct: 9–10 (24), Sat 11 补班 (25), 13–17 (30), 20–24 (35), 27–31 (40);
  // Nov: 3–7 (45), 10–14 (50), 17–21 (55), 24–28 (60) → Fri 2025-11-28.
  assert.deepEqual(verificationDue(bj('2025-09-01')), { due: '2025-11-28', estimated: false });
  assert.equal(workingDaysBetween('2025-09-01', '2025-11-28'), 60);
});

test('verificationDue: 60 working days across 春节 2026', () => {
  // Accepted Mon 2026-01-05. Jan: 6–9 (4), 12–16 (9), 19–23 (14), 26–30 (19); Feb: 2–6 (24), 9–13 (29),
  // Sat 14 补班 (30), 15–23 off, 24–27 (34), Sat 28 补班 (35); Mar: 2–6 (40), 9–13 (45), 16–20 (50),
  // 23–27 (55), 30–31 (57); Apr 1–3 (60) → Fri 2026-04-03 (清明 04-04…04-06 comes after).
  assert.deepEqual(verificationDue(bj('2026-01-05')), { due: '2026-04-03', estimated: false });
});

test('verificationDue: a 30-day extension is calendar days and may land on a holiday', () => {
  // 2026-04-03 + 30 calendar days = Sun 2026-05-03, inside 劳动节 (05-01…05-05). It stays there.
  assert.deepEqual(verificationDue(bj('2026-01-05'), 30), { due: '2026-05-03', estimated: false });
  assert.equal(isWorkingDay('2026-05-03'), false);
  // + 28 = Fri 2026-05-01, 劳动节 itself
  assert.deepEqual(verificationDue(bj('2026-01-05'), 28), { due: '2026-05-01', estimated: false });
  // 2025-11-28 + 30 = Sun 2025-12-28
  assert.deepEqual(verificationDue(bj('2025-09-01'), MAX_EXTENSION_DAYS), { due: '2025-12-28', estimated: false });
  assert.throws(() => verificationDue(bj('2026-01-05'), 31), RangeError);
  assert.throws(() => verificationDue(bj('2026-01-05'), -1), RangeError);
  assert.throws(() => verificationDue(bj('2026-01-05'), 1.5), RangeError);
});

test('deadlines in 2027 are flagged estimated', () => {
  // Wed 2026-12-30 → Thu 12-31 (1), Fri 2027-01-01 (2, weekday rule: no 2027 schedule), Mon 2027-01-04 (3)
  assert.deepEqual(acceptanceDue(bj('2026-12-30')), { due: '2027-01-04', estimated: true });
  // Thu 2026-12-24 → Fri 12-25, Mon 12-28, Tue 12-29: all inside 2026
  assert.deepEqual(acceptanceDue(bj('2026-12-24')), { due: '2026-12-29', estimated: false });
  // Accepted Tue 2026-12-01. Dec: 2–4 (3), 7–11 (8), 14–18 (13), 21–25 (18), 28–31 (22); 2027 by weekday:
  // Fri Jan 1 (23), Jan 4–8 (28), 11–15 (33), 18–22 (38), 25–29 (43); Feb 1–5 (48), 8–12 (53), 15–19 (58),
  // Mon 22 (59), Tue 23 (60).
  assert.deepEqual(verificationDue(bj('2026-12-01')), { due: '2027-02-23', estimated: true });
  // Before the data starts (2004) the weekday rule is used too: Tue 2003-12-30 → Wed 2003-12-31
  assert.deepEqual(addWorkingDays('2003-12-30', 1), { date: '2003-12-31', estimated: true });
});

test('addWorkingDays: start never counted; n must be a positive integer', () => {
  assert.deepEqual(addWorkingDays('2025-01-27', 1), { date: '2025-02-05', estimated: false });
  assert.deepEqual(addWorkingDays('2025-01-24', 1), { date: '2025-01-26', estimated: false });
  assert.throws(() => addWorkingDays('2025-01-24', 0), RangeError);
  assert.throws(() => addWorkingDays('2025-01-24', 2.5), RangeError);
});

test('addCalendarDays', () => {
  assert.equal(addCalendarDays('2025-01-31', 1), '2025-02-01');
  assert.equal(addCalendarDays('2024-02-28', 1), '2024-02-29', 'leap year');
  assert.equal(addCalendarDays('2025-12-31', 1), '2026-01-01');
  assert.equal(addCalendarDays('2025-03-01', -1), '2025-02-28');
  assert.equal(addCalendarDays('2025-03-01', 0), '2025-03-01');
});

test('workingDaysBetween: zero, positive, negative', () => {
  assert.equal(workingDaysBetween('2025-01-28', '2025-01-28'), 0, 'same day (holiday)');
  assert.equal(workingDaysBetween('2025-02-05', '2025-02-05'), 0, 'same day (working day): due today');
  // (Fri 01-24, Wed 02-05]: Sun 01-26, Mon 01-27, Wed 02-05
  assert.equal(workingDaysBetween('2025-01-24', '2025-02-05'), 3);
  assert.equal(workingDaysBetween('2025-02-05', '2025-01-24'), -3, 'antisymmetric');
  // (Mon 01-27, Tue 02-04]: the whole holiday → 0 left although 8 calendar days remain
  assert.equal(workingDaysBetween('2025-01-27', '2025-02-04'), 0);
  // Due Fri 2025-02-07, today Sun 02-09: (02-07, 02-09] holds the make-up Saturday → one working day overdue
  assert.equal(workingDaysBetween('2025-02-09', '2025-02-07'), -1);
  // Due Fri 2025-01-24, today Sat 01-25: overdue by a rest day only → 0 (callers test today > due)
  assert.equal(workingDaysBetween('2025-01-25', '2025-01-24'), 0);
  // (Wed 2026-12-30, Mon 2027-01-04]: Thu 12-31, Fri 01-01 (weekday rule), Mon 01-04
  assert.equal(workingDaysBetween('2026-12-30', '2027-01-04'), 3);
});

test('rejects malformed dates', () => {
  for (const bad of ['2025-02-30', '2025-1-5', '2025/01/05', '', '0099-01-01', '2025-13-01']) {
    assert.throws(() => isWorkingDay(bad), RangeError, bad);
  }
  assert.throws(() => addCalendarDays('2025-01-01', Number.NaN), RangeError);
});

const moduleUrl = new URL('../../src/server/deadlines.ts', import.meta.url).href;
const runChild = (tz: string, code: string): string =>
  execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    env: { ...process.env, TZ: tz },
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    encoding: 'utf8',
  });

test('agrees with chinese-days isWorkday on every day 2004–2027 (where chinese-days is reliable)', () => {
  // chinese-days' own functions are only right when the process time zone is at or ahead of UTC, so compare
  // in a child process running at Asia/Shanghai.
  const out = runChild(
    'Asia/Shanghai',
    `import cd from 'chinese-days';
     const m = await import(${JSON.stringify(moduleUrl)});
     const bad = [];
     for (let t = Date.UTC(2004, 0, 1); t <= Date.UTC(2027, 11, 31); t += 86400000) {
       const d = new Date(t).toISOString().slice(0, 10);
       if (cd.isWorkday(d) !== m.isWorkingDay(d)) bad.push(d);
     }
     console.log(JSON.stringify(bad));`,
  );
  assert.deepEqual(JSON.parse(out), []);
});

test('results do not depend on the server time zone', () => {
  const code = `const m = await import(${JSON.stringify(moduleUrl)});
    console.log(JSON.stringify([
      m.isWorkingDay('2025-01-26'), m.isWorkingDay('2025-01-27'), m.isWorkingDay('2025-01-28'),
      m.acceptanceDue(Date.parse('2025-01-24T10:00:00+08:00')),
      m.verificationDue(Date.parse('2026-01-05T10:00:00+08:00'), 30),
      m.workingDaysBetween('2025-09-01', '2025-11-28'),
    ]));`;
  const expected = [
    true,
    true,
    false,
    { due: '2025-02-05', estimated: false },
    { due: '2026-05-03', estimated: false },
    60,
  ];
  for (const tz of ['America/Los_Angeles', 'UTC', 'Asia/Shanghai', 'Pacific/Kiritimati']) {
    assert.deepEqual(JSON.parse(runChild(tz, code)), expected, tz);
  }
});
