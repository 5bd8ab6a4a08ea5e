/**
 * Moves a report through its life from a terminal, as a handling authority would (reference server in --dev):
 *
 *   npm run handle -- accept K7M9QXRT3HWP
 *   npm run handle -- transfer K7M9QXRT3HWP --to 410105
 *   npm run handle -- request-supplement K7M9QXRT3HWP --request "请补充现场照片"
 *   npm run handle -- verify K7M9QXRT3HWP
 *   npm run handle -- extend K7M9QXRT3HWP --days 30
 *   npm run handle -- reject K7M9QXRT3HWP --reason needs-correction --missing "被举报单位的具体地址"
 *   npm run handle -- reject K7M9QXRT3HWP --reason out-of-scope --department "市住房和城乡建设局"
 *   npm run handle -- close K7M9QXRT3HWP --outcome "举报属实，已责令整改" --substantiated [--reward "奖励 2000 元"]
 *
 * --api URL (or AQJB_API) points at the server; default http://127.0.0.1:8080/.
 */
import { parseArgs } from 'node:util';
import { DevAction } from '../src/sdk/schemas/dev.js';
import { Progress } from '../src/sdk/schemas/progress.js';
import { ErrorBody } from '../src/sdk/schemas/common.js';

export function buildAction(action: string, values: Record<string, string | boolean | undefined>): unknown {
  switch (action) {
    case 'reject': {
      const kind = values.reason;
      const reason =
        kind === 'needs-correction'
          ? { kind, missing: values.missing }
          : kind === 'out-of-scope'
            ? { kind, department: values.department }
            : { kind };
      return { action, reason };
    }
    case 'transfer':
      return { action, toRegionCode: values.to };
    case 'request-supplement':
      return { action, request: values.request };
    case 'extend':
      return { action, days: Number(values.days) };
    case 'close':
      return {
        action,
        outcome: values.outcome,
        substantiated: Boolean(values.substantiated),
        ...(values.reward ? { reward: values.reward } : {}),
      };
    default:
      return { action };
  }
}

type Out = { write(text: string): unknown };

export async function main(argv: string[], out: Out = process.stdout, err: Out = process.stderr): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      api: { type: 'string', default: process.env.AQJB_API ?? 'http://127.0.0.1:8080/' },
      to: { type: 'string' },
      request: { type: 'string' },
      days: { type: 'string' },
      reason: { type: 'string' },
      missing: { type: 'string' },
      department: { type: 'string' },
      outcome: { type: 'string' },
      substantiated: { type: 'boolean' },
      reward: { type: 'string' },
    },
  });
  const [action, code] = positionals;
  if (!action || !code) {
    err.write('用法：npm run handle -- <accept|reject|transfer|request-supplement|extend|verify|close> <举报编码> [选项]\n');
    return 2;
  }
  const parsed = DevAction.safeParse(buildAction(action, values));
  if (!parsed.success) {
    err.write(`参数不正确：${parsed.error.issues.map((i) => `${i.path.join('.') || 'action'}`).join('、')}\n`);
    return 2;
  }
  const base = values.api!.endsWith('/') ? values.api! : `${values.api}/`;
  let response: Response;
  try {
    response = await fetch(new URL(`dev/reports/${encodeURIComponent(code)}/actions`, base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(parsed.data),
    });
  } catch {
    err.write(`无法连接参考服务器 ${base}（请先运行 npm run demo，或用 --api 指定地址）\n`);
    return 1;
  }
  const body = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = ErrorBody.safeParse(body);
    const detail = error.success ? (error.data.error.fields ?? []).map((f) => `\n  ${f.path}：${f.message}`).join('') : '';
    err.write(`${response.status} ${error.success ? `${error.data.error.code}：${error.data.error.message}` : '未知错误'}${detail}\n`);
    return 1;
  }
  const progress = Progress.parse(body);
  out.write(`${progress.reportCode}：${progress.status}（${progress.handledBy.orgName}）\n`);
  for (const d of progress.deadlines) {
    out.write(`  ${d.kind === 'acceptance' ? '受理期限' : '核查期限'} ${d.due}${d.estimated ? '（估算）' : ''}${d.metAt ? ' 已完成' : ''}\n`);
  }
  return 0;
}

if (import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  process.exitCode = await main(process.argv.slice(2));
}
