/**
 * `aqjb backfill` lives in src/server/cli/backfill.ts (shipped in lib/). Here: what the bench and the tests need
 * beside it, the reference server in-process with a Henan backfill token and a synthetic Henan export.
 *   npm run bench:backfill    backfill throughput of a 10,000-row export (PGlite)
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { backfill } from '../src/server/cli/backfill.js';
import type { Out } from '../src/server/cli/command.js';

/** The reference server (in-memory PGlite, `/staff` mounted as in production) and a Henan backfill token. */
export async function startBackfillTarget() {
  const { randomBytes } = await import('node:crypto');
  const { startServer } = await import('../src/server/index.js');
  const { silentLogger } = await import('../src/server/log.js');
  const { createStaffToken } = await import('../src/server/staff/index.js');
  const server = await startServer({ memory: true, dataKey: randomBytes(32), logger: silentLogger });
  const { token } = await createStaffToken(server.sql, { scope: '410000', role: 'backfill', label: 'backfill bench' });
  return Object.assign(server, { token });
}

const COUNTIES = ['410102', '410103', '410105', '410122', '410181', '410202', '410302', '410402', '410502', '410602'];

/** `n` rows of a Henan legacy export (JSON Lines), every one valid, a third of them real-name. */
export function syntheticHenanExport(n: number): string {
  const lines: string[] = [];
  for (let i = 1; i <= n; i++) {
    const realName = i % 3 === 0;
    lines.push(
      JSON.stringify({
        jubaoBianhao: `HN20250301${String(i).padStart(6, '0')}`,
        laiyuan: ['网站', '来信', '来访', '传真', '电话'][i % 5],
        guojiaBianhao: '',
        jubaoFangshi: realName ? '实名' : '匿名',
        quhuaDaima: COUNTIES[i % COUNTIES.length],
        beiJubaoDanweiMingcheng: `某某化工有限公司第${i}分厂`,
        beiJubaoDanweiDizhi: `河南省某市某路 ${i} 号`,
        hangyeDaima: 'HY03',
        wentiLeixing: i % 2 ? '重大事故隐患' : '评价机构违规|违法行为',
        wentiXize: i % 2 ? '' : 'qyj-3、qyj-7',
        jubaoNeirong: `储罐区可燃气体报警器长期损坏（第 ${i} 件）。`,
        faxianRiqi: '20250228',
        jubaorenXingming: realName ? '张三' : '',
        jubaorenShoujiHao: realName ? '13800000000' : '',
        jubaorenShenfenzhengHao: '',
        tijiaoShijian: '2025-03-01 09:30:00',
        dangqianZhuangtai: '待受理',
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `npm run bench`: backfill throughput of a 10,000-row export into the in-process reference server (PGlite). */
export async function benchBackfill({ rows = 10_000, concurrency = 8, out = process.stdout as Out } = {}) {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const os = await import('node:os');
  const { henanAdapter } = await import('../demo/legacy/henan-adapter.js');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aqjb-backfill-bench-'));
  const target = await startBackfillTarget();
  try {
    const from = path.join(dir, 'export.jsonl');
    writeFileSync(from, syntheticHenanExport(rows));
    const summary = await backfill({ from, api: target.url, token: target.token, adapter: henanAdapter, concurrency, progress: { write: () => true } });
    const perSecond = summary.entered / (summary.ms / 1000);
    out.write(`backfill: ${summary.entered} rows in ${(summary.ms / 1000).toFixed(1)} s = ${perSecond.toFixed(0)} rows/s (PGlite, concurrency ${concurrency}, ${summary.failed} failed)\n`);
    return { rows: summary.entered, ms: summary.ms, perSecond, failed: summary.failed };
  } finally {
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = (await benchBackfill()).failed ? 1 : 0;
}
