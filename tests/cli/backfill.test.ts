import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { startBackfillTarget, syntheticHenanExport } from '../../scripts/backfill.js';
import { backfillCommand, type BackfillResult } from '../../src/server/cli/backfill.js';
import { runCommand, type Out } from '../../src/server/cli/command.js';
import { exportRow, toCsv } from '../../demo/legacy/server.js';
import { generateReportCode } from '../../src/sdk/report-code.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
let target: Awaited<ReturnType<typeof startBackfillTarget>>;
let dir: string;
before(async () => {
  target = await startBackfillTarget();
  dir = mkdtempSync(path.join(tmpdir(), 'aqjb-backfill-'));
});
after(async () => {
  await target.close();
  rmSync(dir, { recursive: true, force: true });
});

const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
const count = async (sql: string) => Number((await target.sql.query<{ n: number }>(sql)).rows[0]!.n);

/** `aqjb backfill …` in-process, the token in AQJB_STAFF_TOKEN. */
const main = (args: string[], out: Out, err: Out, token = target.token) =>
  runCommand(backfillCommand, args, { out, err, env: { AQJB_STAFF_TOKEN: token } });

/** `npm run backfill -- …` as a process of its own (killed halfway in the first test). */
function run(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/server/cli/main.ts'), 'backfill', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AQJB_STAFF_TOKEN: target.token },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

test('a 10,000-row export killed halfway and restarted: 10,000 national reports, no duplicates, the result file complete', async (t) => {
  const from = path.join(dir, 'export.jsonl');
  const results = path.join(dir, 'export.results.jsonl');
  writeFileSync(from, syntheticHenanExport(10_000));
  const args = ['--from', from, '--api', target.url, '--adapter', 'demo/legacy/henan-adapter.ts', '--concurrency', '8'];
  const started = performance.now();

  const first = run(args);
  while (lines(results).length < 3000) {
    const early = await Promise.race([first.exited, new Promise((r) => setTimeout(r, 50, 'running'))]);
    assert.equal(early, 'running', `the first run ended before it was killed: ${first.output().stderr}`);
  }
  first.child.kill('SIGKILL');
  await first.exited;
  const atKill = lines(results).length;
  assert.ok(atKill < 10_000, 'killed before the end');
  assert.match(first.output().stderr, /backfill \d+\/10000 rows/, 'plain progress lines when not on a terminal');

  const second = run(args);
  const code = await second.exited;
  const { stdout, stderr } = second.output();
  assert.equal(code, 0, stderr);
  const seconds = (performance.now() - started) / 1000;

  assert.equal(await count('SELECT count(*)::int AS n FROM reports'), 10_000);
  assert.equal(await count('SELECT count(DISTINCT report_code)::int AS n FROM external_ids'), 10_000);
  const written = lines(results).map((l) => JSON.parse(l) as BackfillResult);
  assert.equal(written.length, 10_000);
  assert.equal(new Set(written.map((r) => r.externalId)).size, 10_000);
  assert.ok(written.every((r) => 'reportCode' in r));
  assert.equal(written[0]?.externalId, 'HN20250301000001', 'one line per row, in input order');
  const { rows } = await target.sql.query<{ external_id: string; report_code: string }>('SELECT external_id, report_code FROM external_ids');
  const national = new Map(rows.map((r) => [r.external_id, r.report_code]));
  assert.ok(written.every((r) => 'reportCode' in r && national.get(r.externalId) === r.reportCode));
  assert.match(stdout, /此前已完成 \d+/);
  t.diagnostic(`backfill 10000 rows (killed after ${atKill}, resumed): ${seconds.toFixed(1)} s, ${Math.round(10_000 / seconds)} rows/s end to end; second run: ${/（(\d+) 行\/秒）/.exec(stdout)?.[1]} rows/s`);
});

/** One Henan legacy record (demo/legacy), real-name, whose description holds quotes, a comma and a line break. */
const legacyRecord = {
  jubaoBianhao: 'HN20250302000001', chaxunMa: '123456', laiyuan: '来信' as const, jubaoFangshi: '实名' as const, quhuaDaima: '410105',
  beiJubaoDanwei: { mingcheng: '某某化工有限公司, 二分厂', dizhi: '郑州市金水区某路 1 号' }, hangyeDaima: 'HY03', wentiLeixing: ['重大事故隐患'],
  jubaoNeirong: '来信反映："储罐区"报警器损坏，\n夜间有人吸烟。', jubaoren: { xingming: '李四', shoujiHao: '13900000000' },
  tijiaoShijian: '2025-03-02 10:00:00', dangqianZhuangtai: '待受理' as const, chengbanDanwei: '郑州市金水区应急管理局', shouliQixian: '20250305', banliGuocheng: [],
};
/** The CSV line(s) of one record, without the header and without the final CRLF. */
const csvRow = (record: typeof legacyRecord & { jubaoBianhao: string; hangyeDaima?: string }) =>
  toCsv([exportRow(record)]).split('\r\n').slice(1, -1).join('\r\n');
const csvHeader = toCsv([exportRow(legacyRecord)]).split('\r\n')[0]!;

function textSink() {
  let text = '';
  return { stream: new Writable({ write: (c, _e, done) => ((text += c), done()) }), text: () => text };
}

test('CSV with quoted fields; failed rows name the field or the refusal, and a rerun retries only them', async () => {
  const base = legacyRecord;
  const national = generateReportCode();
  const csv = toCsv([
    exportRow(base),
    exportRow({ ...base, jubaoBianhao: 'HN20250302000002', hangyeDaima: 'HY42' }),
    exportRow({ ...base, jubaoBianhao: 'HN20250302000003', quhuaDaima: '420102' }),
    exportRow({ ...base, jubaoBianhao: 'HN20250302000004', guojiaBianhao: national }),
  ]);
  const from = path.join(dir, 'small.csv');
  writeFileSync(from, `\uFEFF${csv}`);
  const before = await count('SELECT count(*)::int AS n FROM reports');
  const out = textSink();
  const args = ['--from', from, '--api', target.url, '--adapter', 'demo/legacy/henan-adapter.ts'];
  assert.equal(await main(args, out.stream, textSink().stream), 1);
  const results = path.join(dir, 'small.results.jsonl');
  const [ok, unmapped, refused, existing] = lines(results).map((l) => JSON.parse(l) as BackfillResult);
  assert.ok(ok && 'reportCode' in ok);
  assert.ok(unmapped && 'error' in unmapped && unmapped.error.code === 'MAPPING_FAILED' && unmapped.error.field === 'hangyeDaima');
  assert.ok(refused && 'error' in refused && refused.error.code === 'FORBIDDEN');
  assert.deepEqual(existing, { externalId: 'HN20250302000004', reportCode: national, existing: true });
  assert.equal(await count('SELECT count(*)::int AS n FROM reports'), before + 1);
  const stored = await target.sql.query<{ subject_name: string; description: string }>('SELECT subject_name, description FROM reports WHERE code = $1', [
    (ok as { reportCode: string }).reportCode,
  ]);
  assert.deepEqual(stored.rows[0], { subject_name: base.beiJubaoDanwei.mingcheng, description: base.jubaoNeirong });

  const again = textSink();
  assert.equal(await main(args, again.stream, textSink().stream), 1);
  assert.match(again.text(), /新录入 0，已在国家系统 0，此前已完成 2，失败 2/);
  assert.equal(lines(results).length, 4);
  assert.equal(await count('SELECT count(*)::int AS n FROM reports'), before + 1);
});

test('a refused token stops the run at once and says how to resume', async () => {
  const from = path.join(dir, 'refused.jsonl');
  writeFileSync(from, syntheticHenanExport(20));
  const err = { text: '', write(c: string) { this.text += c; return true; } };
  const code = await main(['--from', from, '--api', target.url, '--adapter', 'demo/legacy/henan-adapter.ts'], { write: () => true }, err, `aqjbst_${'A'.repeat(32)}`);
  assert.equal(code, 1);
  assert.match(err.text, /令牌无效或已吊销/);
  assert.ok(!err.text.includes('AAAA'), 'the token never appears in output');
});

test('CSV errors name the file line the row begins on: after a quoted description spanning three lines, a blank line, with a BOM and CRLF', async () => {
  const rows = [
    // Lines 2–4: the description holds a CRLF and an LF inside its quotes.
    csvRow({ ...legacyRecord, jubaoBianhao: 'HN20250303000001', jubaoNeirong: '第一行，"引号"\r\n第二行\n第三行。' }),
    '', // line 5: blank, skipped
    csvRow({ ...legacyRecord, jubaoBianhao: 'HN20250303000002', hangyeDaima: 'HY42' }), // lines 6–7: unknown industry code
    `${csvRow({ ...legacyRecord, jubaoBianhao: 'HN20250303000003' })},一列多余`, // lines 8–9: one column too many
  ];
  const from = path.join(dir, 'lines.csv');
  writeFileSync(from, `\uFEFF${csvHeader}\r\n${rows.join('\r\n')}\r\n`);
  const args = ['--from', from, '--api', target.url, '--adapter', 'demo/legacy/henan-adapter.ts'];
  assert.equal(await main(args, textSink().stream, textSink().stream), 1);
  const [ok, unmapped, shifted] = lines(path.join(dir, 'lines.results.jsonl')).map((l) => JSON.parse(l) as BackfillResult);
  assert.ok(ok && 'reportCode' in ok, 'the multi-line row is entered');
  assert.equal(ok.externalId, 'HN20250303000001', 'the BOM is not part of the first column name');
  assert.ok(unmapped && 'error' in unmapped);
  assert.deepEqual({ id: unmapped.externalId, line: unmapped.line, field: unmapped.error.field }, { id: 'HN20250303000002', line: 6, field: 'hangyeDaima' });
  assert.ok(shifted && 'error' in shifted);
  assert.deepEqual({ id: shifted.externalId, line: shifted.line, code: shifted.error.code }, { id: 'HN20250303000003', line: 8, code: 'MAPPING_FAILED' });
  assert.match(shifted.error.message, /列/);
  const stored = await target.sql.query<{ description: string }>('SELECT description FROM reports WHERE code = $1', [ok.reportCode]);
  assert.equal(stored.rows[0]?.description, '第一行，"引号"\r\n第二行\n第三行。', 'line breaks inside quotes are kept as written');
});

test('a CSV file with an unclosed quote stops before anything is sent and names the line where the bad record begins', async () => {
  const from = path.join(dir, 'unclosed.csv');
  const good = csvRow({ ...legacyRecord, jubaoBianhao: 'HN20250304000001' }); // lines 2–3
  writeFileSync(from, `${csvHeader}\r\n${good}\r\nHN20250304000002,"网站\r\n`);
  const before = await count('SELECT count(*)::int AS n FROM reports');
  const err = textSink();
  const args = ['--from', from, '--api', target.url, '--adapter', 'demo/legacy/henan-adapter.ts'];
  assert.equal(await main(args, textSink().stream, err.stream), 2);
  assert.match(err.text(), /unclosed\.csv 第 4 行起无法按 CSV 读取（引号没有闭合）/);
  assert.equal(await count('SELECT count(*)::int AS n FROM reports'), before, 'nothing was sent');
});
