/**
 * A stand-in for a provincial legacy reporting system (河南省安全生产举报系统, the old one), for the demo and the
 * transition tests. Its API is deliberately unlike ours, as a real one would be: pinyin field names, its own
 * industry codes and status words, Beijing local times as `YYYY-MM-DD HH:mm:ss`, dates as `YYYYMMDD`, every
 * answer HTTP 200 with a `fanhuiMa` (0000 = success), and report codes `HN` + Beijing date + 6-digit sequence.
 *
 *   POST /hnjb/api/jubao/tijiao   header X-Laiyuan-Bianhao (source number: the same one twice = the same report)
 *   POST /hnjb/api/jubao/chaxun   { jubaoBianhao, chaxunMa } → progress
 *   POST /hnjb/api/jubao/banli    { jubaoBianhao, huanjie, beizhu? } → moves a report along (demo handling)
 *   GET  /hnjb/api/jubao/daochu?geshi=jsonl|csv → every report, flat rows, for backfill into the national system
 *
 * Records are kept in `<dataDir>/henan-legacy.json` (rewritten atomically on each change).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { serve } from '@hono/node-server';
import { acceptanceDue, beijingDate, verificationDue } from '../../src/server/deadlines.js';
import { createRegionIndex } from '../../src/server/regions.js';

export const STATUS_WORDS = ['待受理', '已受理', '不予受理', '已转办', '核查中', '已延期', '待补充', '已办结'] as const;
export type Zhuangtai = (typeof STATUS_WORDS)[number];
export const SOURCES = ['网站', '来信', '来访', '传真', '电话'] as const;

export interface GuochengStep {
  shijian: string;
  huanjie: '登记' | '受理' | '不予受理' | '转办' | '核查' | '延期' | '办结';
  danwei: string;
  beizhu?: string;
}

/** One report as the legacy system stores it. */
export interface LegacyRecord {
  jubaoBianhao: string;
  chaxunMa: string;
  laiyuanBianhao?: string;
  /** The national code, when the report reached us as the national system's copy (dual mode). */
  guojiaBianhao?: string;
  laiyuan: (typeof SOURCES)[number];
  jubaoFangshi: '匿名' | '实名';
  quhuaDaima: string;
  beiJubaoDanwei: { mingcheng: string; dizhi: string };
  hangyeDaima: string;
  wentiLeixing: string[];
  wentiXize?: string;
  jubaoNeirong: string;
  faxianRiqi?: string;
  jubaoren?: { xingming: string; shoujiHao: string; shenfenzhengHao?: string };
  tijiaoShijian: string;
  dangqianZhuangtai: Zhuangtai;
  chengbanDanwei: string;
  shouliQixian: string;
  hechaQixian?: string;
  banliGuocheng: GuochengStep[];
}

export interface LegacyServerOptions {
  /** 0 picks a free port. */
  port?: number;
  hostname?: string;
  dataDir: string;
  clock?: { now(): number };
  /** Portal origins allowed to call it from a browser (the demo page). */
  allowOrigins?: readonly string[];
}

export interface RunningLegacyServer {
  url: string;
  port: number;
  /** Every stored record (tests count copies). */
  records(): LegacyRecord[];
  close(): Promise<void>;
}

const ok = (shuju: unknown) => ({ fanhuiMa: '0000', fanhuiXinxi: '成功', shuju });
const fail = (fanhuiMa: string, fanhuiXinxi: string) => ({ fanhuiMa, fanhuiXinxi });

/** Beijing local time, the legacy system's only time format. */
export const beijingTime = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
const compactDate = (isoDate: string) => isoDate.replaceAll('-', '');

const str = (v: unknown, max: number) => typeof v === 'string' && v.trim().length > 0 && v.length <= max;

/** Their own checks, in their own words (fanhuiMa 1001 names the field). */
function invalidField(b: Record<string, unknown>): string | undefined {
  const unit = b.beiJubaoDanwei as Record<string, unknown> | undefined;
  const person = b.jubaoren as Record<string, unknown> | undefined;
  if (b.jubaoFangshi !== '匿名' && b.jubaoFangshi !== '实名') return 'jubaoFangshi';
  if (typeof b.quhuaDaima !== 'string' || !/^41\d{4}$/.test(b.quhuaDaima)) return 'quhuaDaima';
  if (!unit || !str(unit.mingcheng, 100)) return 'beiJubaoDanwei.mingcheng';
  if (!str(unit.dizhi, 200)) return 'beiJubaoDanwei.dizhi';
  if (typeof b.hangyeDaima !== 'string' || !/^HY\d{2}$/.test(b.hangyeDaima)) return 'hangyeDaima';
  if (!Array.isArray(b.wentiLeixing) || b.wentiLeixing.length === 0) return 'wentiLeixing';
  if (!str(b.jubaoNeirong, 1000)) return 'jubaoNeirong';
  if (b.faxianRiqi !== undefined && !(typeof b.faxianRiqi === 'string' && /^\d{8}$/.test(b.faxianRiqi))) return 'faxianRiqi';
  if (b.jubaoFangshi === '实名') {
    if (!person || !str(person.xingming, 50)) return 'jubaoren.xingming';
    if (typeof person.shoujiHao !== 'string' || !/^1\d{10}$/.test(person.shoujiHao)) return 'jubaoren.shoujiHao';
  } else if (person !== undefined) return 'jubaoren';
  if (typeof b.tijiaoShijian !== 'string' || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(b.tijiaoShijian)) return 'tijiaoShijian';
  return undefined;
}

/** Flat export row: CSV and JSONL carry the same columns. */
export function exportRow(r: LegacyRecord): Record<string, string> {
  return {
    jubaoBianhao: r.jubaoBianhao,
    laiyuan: r.laiyuan,
    laiyuanBianhao: r.laiyuanBianhao ?? '',
    guojiaBianhao: r.guojiaBianhao ?? '',
    jubaoFangshi: r.jubaoFangshi,
    quhuaDaima: r.quhuaDaima,
    beiJubaoDanweiMingcheng: r.beiJubaoDanwei.mingcheng,
    beiJubaoDanweiDizhi: r.beiJubaoDanwei.dizhi,
    hangyeDaima: r.hangyeDaima,
    wentiLeixing: r.wentiLeixing.join('|'),
    wentiXize: r.wentiXize ?? '',
    jubaoNeirong: r.jubaoNeirong,
    faxianRiqi: r.faxianRiqi ?? '',
    jubaorenXingming: r.jubaoren?.xingming ?? '',
    jubaorenShoujiHao: r.jubaoren?.shoujiHao ?? '',
    jubaorenShenfenzhengHao: r.jubaoren?.shenfenzhengHao ?? '',
    tijiaoShijian: r.tijiaoShijian,
    dangqianZhuangtai: r.dangqianZhuangtai,
  };
}

const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

export function toCsv(rows: Record<string, string>[]): string {
  const header = Object.keys(rows[0] ?? exportRow(EMPTY));
  return [header.join(','), ...rows.map((r) => header.map((h) => csvCell(r[h] ?? '')).join(','))].join('\r\n') + '\r\n';
}

const EMPTY: LegacyRecord = {
  jubaoBianhao: '', chaxunMa: '', laiyuan: '网站', jubaoFangshi: '匿名', quhuaDaima: '', beiJubaoDanwei: { mingcheng: '', dizhi: '' },
  hangyeDaima: '', wentiLeixing: [], jubaoNeirong: '', tijiaoShijian: '', dangqianZhuangtai: '待受理', chengbanDanwei: '',
  shouliQixian: '', banliGuocheng: [],
};

const NEXT: Record<string, { from: readonly Zhuangtai[]; to: Zhuangtai }> = {
  受理: { from: ['待受理'], to: '已受理' },
  不予受理: { from: ['待受理'], to: '不予受理' },
  核查: { from: ['已受理', '已转办'], to: '核查中' },
  办结: { from: ['已受理', '已转办', '核查中', '已延期'], to: '已办结' },
};

export async function startLegacyServer(options: LegacyServerOptions): Promise<RunningLegacyServer> {
  const clock = options.clock ?? { now: () => Date.now() };
  mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, 'henan-legacy.json');
  const state: { records: LegacyRecord[]; sequence: Record<string, number> } = existsSync(file)
    ? JSON.parse(readFileSync(file, 'utf8'))
    : { records: [], sequence: {} };
  const save = () => {
    writeFileSync(`${file}.tmp`, JSON.stringify(state));
    renameSync(`${file}.tmp`, file);
  };
  const regions = createRegionIndex();
  const byCode = (code: unknown) => state.records.find((r) => r.jubaoBianhao === code);

  const app = new Hono();
  app.use('*', cors({ origin: (o) => (options.allowOrigins?.includes(o) ? o : null), allowHeaders: ['Content-Type', 'X-Laiyuan-Bianhao'] }));

  app.post('/hnjb/api/jubao/tijiao', async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!body) return c.json(fail('1000', '请求格式错误'));
    const source = c.req.header('x-laiyuan-bianhao');
    const earlier = source ? state.records.find((r) => r.laiyuanBianhao === source) : undefined;
    if (earlier) return c.json(ok(receiptOf(earlier)));
    const bad = invalidField(body);
    if (bad) return c.json(fail('1001', `参数错误：${bad}`));
    if (!regions.get(body.quhuaDaima as string)) return c.json(fail('1001', '参数错误：quhuaDaima'));
    const now = clock.now();
    const day = compactDate(beijingDate(now));
    const seq = (state.sequence[day] ?? 0) + 1;
    state.sequence[day] = seq;
    const org = regions.orgNameFor(body.quhuaDaima as string);
    const record: LegacyRecord = {
      jubaoBianhao: `HN${day}${String(seq).padStart(6, '0')}`,
      chaxunMa: String(randomInt(0, 1_000_000)).padStart(6, '0'),
      ...(source ? { laiyuanBianhao: source } : {}),
      ...(typeof body.guojiaBianhao === 'string' && body.guojiaBianhao ? { guojiaBianhao: body.guojiaBianhao } : {}),
      laiyuan: '网站',
      jubaoFangshi: body.jubaoFangshi as LegacyRecord['jubaoFangshi'],
      quhuaDaima: body.quhuaDaima as string,
      beiJubaoDanwei: body.beiJubaoDanwei as LegacyRecord['beiJubaoDanwei'],
      hangyeDaima: body.hangyeDaima as string,
      wentiLeixing: body.wentiLeixing as string[],
      ...(typeof body.wentiXize === 'string' && body.wentiXize ? { wentiXize: body.wentiXize } : {}),
      jubaoNeirong: body.jubaoNeirong as string,
      ...(typeof body.faxianRiqi === 'string' ? { faxianRiqi: body.faxianRiqi } : {}),
      ...(body.jubaoren ? { jubaoren: body.jubaoren as LegacyRecord['jubaoren'] } : {}),
      tijiaoShijian: body.tijiaoShijian as string,
      dangqianZhuangtai: '待受理',
      chengbanDanwei: org,
      shouliQixian: compactDate(acceptanceDue(now).due),
      banliGuocheng: [{ shijian: beijingTime(now), huanjie: '登记', danwei: org }],
    };
    state.records.push(record);
    save();
    return c.json(ok(receiptOf(record)));
  });

  app.post('/hnjb/api/jubao/chaxun', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { jubaoBianhao?: string; chaxunMa?: string };
    const record = byCode(body.jubaoBianhao);
    if (!record || record.chaxunMa !== body.chaxunMa) return c.json(fail('2001', '举报编号或查询码错误'));
    const { chaxunMa: _secret, jubaoren: _person, laiyuanBianhao: _source, guojiaBianhao: _national, ...visible } = record;
    return c.json(ok(visible));
  });

  app.post('/hnjb/api/jubao/banli', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { jubaoBianhao?: string; huanjie?: string; beizhu?: string };
    const record = byCode(body.jubaoBianhao);
    if (!record) return c.json(fail('2001', '举报编号不存在'));
    const step = NEXT[body.huanjie ?? ''];
    if (!step || !step.from.includes(record.dangqianZhuangtai)) return c.json(fail('3001', '当前状态不能办理该环节'));
    const now = clock.now();
    record.dangqianZhuangtai = step.to;
    if (body.huanjie === '受理') record.hechaQixian = compactDate(verificationDue(now).due);
    record.banliGuocheng.push({
      shijian: beijingTime(now),
      huanjie: body.huanjie as GuochengStep['huanjie'],
      danwei: record.chengbanDanwei,
      ...(body.beizhu ? { beizhu: body.beizhu } : {}),
    });
    save();
    return c.json(ok({ jubaoBianhao: record.jubaoBianhao, dangqianZhuangtai: record.dangqianZhuangtai }));
  });

  app.get('/hnjb/api/jubao/daochu', (c) => {
    const rows = state.records.map(exportRow);
    if (c.req.query('geshi') === 'csv') return c.body(toCsv(rows), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
    return c.body(rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''), 200, { 'Content-Type': 'application/x-ndjson' });
  });

  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>((resolve) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: options.hostname ?? '127.0.0.1' }, (info: AddressInfo) =>
      resolve({ server: s, port: info.port }),
    );
  });
  return {
    url: `http://${options.hostname && options.hostname !== '0.0.0.0' ? options.hostname : '127.0.0.1'}:${port}/`,
    port,
    records: () => structuredClone(state.records),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections would hold close() open: a "server down" must be down now.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

function receiptOf(r: LegacyRecord) {
  return { jubaoBianhao: r.jubaoBianhao, chaxunMa: r.chaxunMa, chengbanDanwei: r.chengbanDanwei, quhuaDaima: r.quhuaDaima, shouliQixian: r.shouliQixian, tijiaoShijian: r.tijiaoShijian };
}
