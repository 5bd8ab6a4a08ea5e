import { HandlingAction } from '../../sdk/schemas/staff.js';
import { EXIT, TOKEN_HELP, UsageError, apiOption, defineCommand, tokenOptions } from './command.js';
import { API_HELP, DEADLINE_NAMES, LOCAL_API, openStaffClient, staffCallFailed } from './staff-api.js';

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
${API_HELP}${TOKEN_HELP}  令牌角色须为 handler，举报须在令牌的区划内；转办只能转给令牌区划内的下级。
退出码：0 已办理，1 服务器拒绝（如当前状态不能做此操作：409 ILLEGAL_TRANSITION）或无法连接，2 参数有误、未发送。
`,
  options: (env) =>
    ({
      ...apiOption(env, LOCAL_API),
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
    const staff = openStaffClient(values, io);
    let progress;
    try {
      progress = await staff.act(code, buildAction(action, values) as HandlingAction);
    } catch (error) {
      return staffCallFailed(error, staff, io);
    }
    io.out.write(`${progress.reportCode}：${progress.status}（${progress.handledBy.orgName}）\n`);
    for (const d of progress.deadlines) {
      io.out.write(`  ${DEADLINE_NAMES[d.kind]} ${d.due}${d.estimated ? '（估算）' : ''}${d.metAt ? ' 已完成' : ''}\n`);
    }
    return EXIT.ok;
  },
});
