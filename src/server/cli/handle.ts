import { ApiError, ValidationError, isAqjbError } from '../../sdk/errors.js';
import { createStaffClient } from '../../sdk/staff.js';
import { HandlingAction } from '../../sdk/schemas/staff.js';
import { EXIT, TOKEN_HELP, UsageError, apiOption, defineCommand, readStaffToken, tokenOptions } from './command.js';

/** The actions, in the contract's order, read from the schema. */
const ACTIONS: readonly string[] = HandlingAction.def.options.flatMap((o) => o.def.shape.action.def.values);

/** The action's body from the command line; the SDK checks it against `HandlingAction` before anything is sent. */
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

/**
 * `aqjb handle <action> <code> …`: moves a report through its life over the staff API (`POST
 * /staff/reports/{code}/actions`), as the bureau holding the token; prints where it then stands.
 */
export const handle = defineCommand({
  name: 'handle',
  summary: '办理举报：受理、不予受理、转办、要求补充、延期、核查、办结（经 staff API）',
  usage: `用法：aqjb handle <操作> <举报编码> [选项] --api URL --token-file FILE
  aqjb handle accept K7M9QXRT3HWP
  aqjb handle reject K7M9QXRT3HWP --reason needs-correction --missing "被举报单位的具体地址"
  aqjb handle reject K7M9QXRT3HWP --reason out-of-scope --department "市住房和城乡建设局"
  aqjb handle reject K7M9QXRT3HWP --reason duplicate
  aqjb handle transfer K7M9QXRT3HWP --to 410105
  aqjb handle request-supplement K7M9QXRT3HWP --request "请补充现场照片"
  aqjb handle extend K7M9QXRT3HWP --days 30
  aqjb handle verify K7M9QXRT3HWP
  aqjb handle close K7M9QXRT3HWP --outcome "举报属实，已责令整改" --substantiated [--reward "奖励 2000 元"]
操作：${ACTIONS.join('、')}。每一步记入举报的办理记录（含令牌编号），群众查询进度时可见（不含令牌）。
  --api URL           参考服务器地址（或环境变量 AQJB_API；默认 http://127.0.0.1:8080/）
${TOKEN_HELP}  令牌角色须为 handler，举报须在令牌的区划内；转办只能转给令牌区划内的下级。
退出码：0 已办理，1 服务器拒绝（如当前状态不能做此操作：409 ILLEGAL_TRANSITION）或无法连接，2 参数有误、未发送。
`,
  options: (env) =>
    ({
      ...apiOption(env, 'http://127.0.0.1:8080/'),
      ...tokenOptions(),
      to: { type: 'string' },
      request: { type: 'string' },
      days: { type: 'string' },
      reason: { type: 'string' },
      missing: { type: 'string' },
      department: { type: 'string' },
      outcome: { type: 'string' },
      substantiated: { type: 'boolean' },
      reward: { type: 'string' },
    }) as const,
  async run(values, positionals, io) {
    const [action, code, ...rest] = positionals;
    if (!action || !code || rest.length) throw new UsageError(`请给出操作和举报编码：aqjb handle <${ACTIONS.join('|')}> <举报编码> [选项]`);
    if (!ACTIONS.includes(action)) throw new UsageError(`没有 ${action} 这个操作：可用 ${ACTIONS.join('、')}`);
    const token = readStaffToken(values, io.env);
    let staff;
    try {
      staff = createStaffClient({ baseUrl: values.api!, token, retry: 0 });
    } catch (error) {
      throw new UsageError(isAqjbError(error) ? `${error.message}（${error.code}）` : (error as Error).message);
    }
    let progress;
    try {
      progress = await staff.act(code, buildAction(action, values) as HandlingAction);
    } catch (error) {
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
    io.out.write(`${progress.reportCode}：${progress.status}（${progress.handledBy.orgName}）\n`);
    for (const d of progress.deadlines) {
      io.out.write(`  ${d.kind === 'acceptance' ? '受理期限' : '核查期限'} ${d.due}${d.estimated ? '（估算）' : ''}${d.metAt ? ' 已完成' : ''}\n`);
    }
    return EXIT.ok;
  },
});
