/**
 * The Henan legacy system's adapter (demo; a province writes its own, outside the library). Maps our report to
 * their submission and their receipts, progress and export rows back, with both sides checked by schemas. No DOM
 * and no Node APIs: the demo page and the backfill command load the same module.
 *
 * Lossy by design, and said so: their problem types have no sub-items (七严禁 / 五不准 go, as codes, into
 * `wentiXize`), and they take no evidence files (the copy carries `guojiaBianhao`, where the evidence is).
 */
import * as z from 'zod/mini';
import { ApiError } from '../../src/sdk/errors.js';
import { parseReportCode } from '../../src/sdk/report-code.js';
import { defineLegacyAdapter, LegacyError, MappingError } from '../../src/sdk/transition/index.js';
import type { ProgressEvent, ReportStatus } from '../../src/sdk/schemas/progress.js';

const NAME = 'henan';

/** Their industry codes (行业代码) ↔ ours. */
const INDUSTRIES: Record<string, string> = {
  'coal-mine': 'HY01', 'metal-nonmetal-mine': 'HY02', chemical: 'HY03', pharmaceutical: 'HY04', 'hazardous-chemicals': 'HY05',
  fireworks: 'HY06', 'oil-extraction': 'HY07', metallurgy: 'HY08', nonferrous: 'HY09', 'building-materials': 'HY10',
  machinery: 'HY11', 'light-industry': 'HY12', textile: 'HY13', tobacco: 'HY14', commerce: 'HY15', other: 'HY99',
};
/** Their problem-type words ↔ our codes. */
const PROBLEMS: Record<string, string> = {
  'concealed-accident': '瞒报谎报事故', 'major-hazard': '重大事故隐患', violation: '违法行为',
  'evaluation-agency': '评价机构违规', 'expert-misconduct': '专家违规', other: '其他',
};
const STATUS: Record<string, ReportStatus> = {
  待受理: 'submitted', 已受理: 'accepted', 不予受理: 'not-accepted', 已转办: 'transferred', 核查中: 'verifying',
  已延期: 'extended', 待补充: 'supplement-requested', 已办结: 'closed',
};
const CHANNELS = { 网站: 'legacy', 来信: 'letter', 来访: 'visit', 传真: 'fax', 电话: 'phone' } as const;
const invert = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [v, k]));
const INDUSTRY_OURS = invert(INDUSTRIES);
const PROBLEM_OURS = invert(PROBLEMS);

const LocalTime = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/));
const CompactDate = z.string().check(z.regex(/^\d{8}$/));
const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

/** Beijing local `YYYY-MM-DD HH:mm:ss` ↔ ISO instants; `YYYYMMDD` ↔ `YYYY-MM-DD`. */
const toLocal = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
const fromLocal = (local: string) => `${local.replace(' ', 'T')}+08:00`;
const dashed = (d: string) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;

const Submission = z.strictObject({
  jubaoFangshi: z.enum(['匿名', '实名']),
  quhuaDaima: z.string().check(z.regex(/^41\d{4}$/)), // the old system knows Henan only
  beiJubaoDanwei: z.strictObject({ mingcheng: text(100), dizhi: text(200) }),
  hangyeDaima: z.string().check(z.regex(/^HY\d{2}$/)),
  wentiLeixing: z.array(z.enum(Object.values(PROBLEMS) as [string, ...string[]])).check(z.minLength(1)),
  wentiXize: z.optional(z.string()),
  jubaoNeirong: text(1000), // their column is shorter than our 2000 characters
  faxianRiqi: z.optional(CompactDate),
  jubaoren: z.optional(z.strictObject({ xingming: text(50), shoujiHao: z.string().check(z.regex(/^1\d{10}$/)), shenfenzhengHao: z.optional(z.string()) })),
  tijiaoShijian: LocalTime,
  guojiaBianhao: z.optional(z.string()),
});

const Receipt = z.object({
  jubaoBianhao: z.string().check(z.regex(/^HN\d{14}$/)),
  chaxunMa: z.string().check(z.regex(/^\d{6}$/)),
  chengbanDanwei: z.string(),
  quhuaDaima: z.string(),
  shouliQixian: CompactDate,
  tijiaoShijian: LocalTime,
});

const Step = z.object({
  shijian: LocalTime,
  huanjie: z.enum(['登记', '受理', '不予受理', '转办', '核查', '延期', '办结']),
  danwei: z.string(),
  beizhu: z.optional(z.string()),
});
const LegacyProgress = z.object({
  jubaoBianhao: z.string(),
  dangqianZhuangtai: z.enum(Object.keys(STATUS) as [string, ...string[]]),
  chengbanDanwei: z.string(),
  quhuaDaima: z.string(),
  shouliQixian: CompactDate,
  hechaQixian: z.optional(CompactDate),
  banliGuocheng: z.array(Step),
});

const cell = z.string();
const ExportRow = z.object({
  jubaoBianhao: z.string().check(z.regex(/^HN\d{14}$/)),
  laiyuan: z.enum(Object.keys(CHANNELS) as [keyof typeof CHANNELS, ...(keyof typeof CHANNELS)[]]),
  guojiaBianhao: z._default(cell, ''),
  jubaoFangshi: z.enum(['匿名', '实名']),
  quhuaDaima: cell,
  beiJubaoDanweiMingcheng: cell,
  beiJubaoDanweiDizhi: cell,
  hangyeDaima: cell,
  wentiLeixing: cell,
  wentiXize: z._default(cell, ''),
  jubaoNeirong: cell,
  faxianRiqi: z._default(cell, ''),
  jubaorenXingming: z._default(cell, ''),
  jubaorenShoujiHao: z._default(cell, ''),
  jubaorenShenfenzhengHao: z._default(cell, ''),
  tijiaoShijian: LocalTime,
});

/** Their answers are HTTP 200 with `fanhuiMa`; 0000 is success, 1xxx their validation, 2001 not found, 9xxx busy. */
const Envelope = z.object({ fanhuiMa: z.string(), fanhuiXinxi: z.optional(z.string()), shuju: z.optional(z.unknown()) });
function unwrap(raw: unknown): unknown {
  const parsed = Envelope.safeParse(raw);
  if (!parsed.success) throw new LegacyError({ status: 200, code: 'LEGACY_BAD_RESPONSE', message: '旧系统返回的数据格式不正确', retryable: true });
  const { fanhuiMa, fanhuiXinxi = '', shuju } = parsed.data;
  if (fanhuiMa === '0000') return shuju;
  if (fanhuiMa === '2001') throw new ApiError(404, 'REPORT_NOT_FOUND', '举报编码或查询密码不正确，请核对后重试');
  throw new LegacyError({ status: 200, code: `HENAN_${fanhuiMa}`, message: fanhuiXinxi, retryable: fanhuiMa.startsWith('9') });
}

const itemsOf = (xize: string) => new Set(xize.split(/[、,\s]+/).filter(Boolean));

export const henanAdapter = defineLegacyAdapter({
  name: NAME,
  codePattern: /^HN\d{14}$/,
  schemas: { submission: Submission, receipt: Receipt, progress: LegacyProgress, exportRow: ExportRow },
  fields: {
    jubaoFangshi: 'mode',
    quhuaDaima: 'regionCode',
    'beiJubaoDanwei.mingcheng': 'subject.name',
    'beiJubaoDanwei.dizhi': 'subject.address',
    hangyeDaima: 'industry',
    wentiLeixing: 'problemTypes',
    jubaoNeirong: 'description',
    faxianRiqi: 'occurredAt',
    'jubaoren.xingming': 'reporter.name',
    'jubaoren.shoujiHao': 'reporter.phone',
    tijiaoShijian: 'submittedAt',
    jubaoBianhao: 'reportCode',
    chaxunMa: 'queryKey',
    shouliQixian: 'acceptBy',
  },

  toLegacy({ content, submittedAt, nationalCode }) {
    const industry = INDUSTRIES[content.industry];
    if (!industry) throw new MappingError({ adapter: NAME, direction: 'to-legacy', field: 'hangyeDaima', counterpart: 'industry', reason: '旧系统没有对应的行业代码' });
    const items = content.problemTypes.flatMap((p) => p.items ?? []);
    return {
      jubaoFangshi: content.mode === 'real-name' ? ('实名' as const) : ('匿名' as const),
      quhuaDaima: content.regionCode,
      beiJubaoDanwei: { mingcheng: content.subject.name, dizhi: content.subject.address },
      hangyeDaima: industry,
      wentiLeixing: content.problemTypes.map((p) => PROBLEMS[p.code] ?? p.code),
      ...(items.length ? { wentiXize: items.join('、') } : {}),
      jubaoNeirong: content.description,
      ...(content.occurredAt ? { faxianRiqi: content.occurredAt.replaceAll('-', '') } : {}),
      ...(content.mode === 'real-name'
        ? { jubaoren: { xingming: content.reporter.name, shoujiHao: content.reporter.phone, ...(content.reporter.idNumber ? { shenfenzhengHao: content.reporter.idNumber } : {}) } }
        : {}),
      tijiaoShijian: toLocal(submittedAt),
      ...(nationalCode ? { guojiaBianhao: nationalCode } : {}),
    };
  },

  send: async (http, submission, { idempotencyKey, signal }) =>
    unwrap(await http.post('hnjb/api/jubao/tijiao', { json: submission, headers: { 'X-Laiyuan-Bianhao': idempotencyKey }, signal })),

  fromReceipt: (r) => ({
    reportCode: r.jubaoBianhao,
    queryKey: r.chaxunMa,
    submittedAt: fromLocal(r.tijiaoShijian),
    routedTo: { regionCode: r.quhuaDaima, orgName: r.chengbanDanwei },
    acceptBy: dashed(r.shouliQixian),
  }),

  lookup: async (http, code, queryKey, { signal }) =>
    unwrap(await http.post('hnjb/api/jubao/chaxun', { json: { jubaoBianhao: code, chaxunMa: queryKey }, signal })),

  fromProgress(p, code) {
    const at = (s: { shijian: string }) => new Date(fromLocal(s.shijian)).toISOString();
    const events: ProgressEvent[] = p.banliGuocheng.map((s): ProgressEvent => {
      const base = { at: at(s), org: s.danwei };
      switch (s.huanjie) {
        case '登记':
          return { type: 'submitted', ...base, channel: 'legacy' };
        case '受理':
          return { type: 'accepted', ...base };
        case '不予受理':
          return {
            type: 'not-accepted',
            ...base,
            reason: s.beizhu?.startsWith('重复') ? { kind: 'duplicate' } : { kind: 'needs-correction', missing: s.beizhu ?? '' },
          };
        case '转办':
          return { type: 'transferred', ...base, toOrg: p.chengbanDanwei, toRegionCode: p.quhuaDaima };
        case '核查':
          return { type: 'verifying', ...base };
        case '延期':
          return { type: 'extension-approved', ...base, days: 30, verifyBy: p.hechaQixian ? dashed(p.hechaQixian) : '' };
        case '办结':
          return { type: 'closed', ...base, outcome: s.beizhu ?? '已办结', substantiated: /属实/.test(s.beizhu ?? '') && !/不属实/.test(s.beizhu ?? '') };
      }
    });
    const decided = p.banliGuocheng.find((s) => s.huanjie === '受理' || s.huanjie === '不予受理');
    const closed = p.banliGuocheng.find((s) => s.huanjie === '办结');
    return {
      reportCode: code,
      status: STATUS[p.dangqianZhuangtai]!,
      handledBy: { regionCode: p.quhuaDaima, orgName: p.chengbanDanwei },
      events,
      deadlines: [
        { kind: 'acceptance', due: dashed(p.shouliQixian), estimated: false, ...(decided ? { metAt: at(decided) } : {}) },
        ...(p.hechaQixian
          ? [{ kind: 'verification' as const, due: dashed(p.hechaQixian), estimated: false, ...(closed ? { metAt: at(closed) } : {}) }]
          : []),
      ],
    };
  },

  exportIdOf: (row) => (row && typeof row === 'object' && typeof (row as { jubaoBianhao?: unknown }).jubaoBianhao === 'string' ? (row as { jubaoBianhao: string }).jubaoBianhao : undefined),

  fromExport(row) {
    // Dual mode's copies came from the national system: they are there already.
    if (row.guojiaBianhao && parseReportCode(row.guojiaBianhao).ok) return { nationalCode: row.guojiaBianhao };
    const xize = itemsOf(row.wentiXize);
    const industry = INDUSTRY_OURS[row.hangyeDaima];
    if (!industry) throw new MappingError({ adapter: NAME, direction: 'from-legacy', field: 'hangyeDaima', counterpart: 'industry', reason: '未知的行业代码' });
    const problemTypes = row.wentiLeixing.split('|').filter(Boolean).map((word, index) => {
      const code = PROBLEM_OURS[word];
      if (!code) throw new MappingError({ adapter: NAME, direction: 'from-legacy', field: `wentiLeixing.${index}`, counterpart: `problemTypes.${index}.code`, reason: '未知的问题类型' });
      const prefix = code === 'evaluation-agency' ? 'qyj-' : code === 'expert-misconduct' ? 'wbz-' : undefined;
      const items = prefix ? [...xize].filter((i) => i.startsWith(prefix)) : [];
      return items.length ? { code, items } : { code };
    });
    const common = {
      externalId: row.jubaoBianhao,
      channel: CHANNELS[row.laiyuan],
      receivedAt: fromLocal(row.tijiaoShijian),
      regionCode: row.quhuaDaima,
      subject: { name: row.beiJubaoDanweiMingcheng, address: row.beiJubaoDanweiDizhi },
      industry,
      problemTypes,
      description: row.jubaoNeirong,
      ...(row.faxianRiqi ? { occurredAt: dashed(row.faxianRiqi) } : {}),
    };
    if (row.jubaoFangshi === '匿名') return { mode: 'anonymous' as const, ...common };
    return {
      mode: 'real-name' as const,
      ...common,
      reporter: {
        name: row.jubaorenXingming,
        phone: row.jubaorenShoujiHao,
        ...(row.jubaorenShenfenzhengHao ? { idNumber: row.jubaorenShenfenzhengHao } : {}),
      },
    };
  },
});

export default henanAdapter;
