import { beijingDate } from '../../sdk/beijing-date.js';
import { INBOX_DUE_WITHIN_DEFAULT, INBOX_DUE_WITHIN_MAX, INBOX_PAGE, type Inbox, type InboxFilters, type InboxItem } from '../../sdk/schemas/staff.js';
import { ReportStatus } from '../../sdk/schemas/progress.js';
import { STATUS_NAMES } from '../reports/handling.js';
import { EXIT, TOKEN_HELP, UsageError, apiOption, defineCommand, tokenOptions } from './command.js';
import { API_HELP, DEADLINE_NAMES, LOCAL_API, openStaffClient, staffCallFailed } from './staff-api.js';

/** `总数：3（已超期 1，即将到期 1）` and one count per status, in the contract's order. */
export function formatCounts({ total, byStatus, overdue, dueSoon }: Inbox['counts']): string {
  const statuses = ReportStatus.options.map((s) => `${STATUS_NAMES[s]} ${byStatus[s]}`).join('  ');
  return `总数：${total}（已超期 ${overdue}，即将到期 ${dueSoon}）\n${statuses}\n`;
}

const left = (days: number) => (days > 0 ? `剩 ${days} 个工作日` : days === 0 ? '今日到期' : `已超期 ${-days} 个工作日`);

/** One report: code, status, received (Beijing date), bureau, the running deadline, the reported unit. */
export function formatItem(item: InboxItem): string {
  const due = item.due ? `${DEADLINE_NAMES[item.due.kind]} ${item.due.date}（${left(item.due.workingDaysLeft)}）` : '无进行中的期限';
  return `${item.reportCode}  ${STATUS_NAMES[item.status]}  ${beijingDate(Date.parse(item.receivedAt))}  ${item.handledBy.orgName}  ${due}  ${item.subject.name}\n`;
}

/** A whole number from the command line, or undefined; the SDK checks the range against `InboxQuery`. */
const whole = (text: string | undefined) => (text === undefined ? undefined : /^\d+$/.test(text) ? Number(text) : NaN);

/**
 * `aqjb inbox`: the token's inbox over the staff API (`GET /staff/inbox`): the counts first, then one line per
 * report, newest first. How an operator checks a backfill, and the 督办 view (overdue, due soon) on a terminal.
 */
export const inbox = defineCommand({
  name: 'inbox',
  summary: '收件箱：令牌区划内的举报及各状态、超期、即将到期件数（经 staff API；可筛选，--json 供脚本）',
  usage: `用法：aqjb inbox [筛选] [--all] [--json] --api URL --token-file FILE
  aqjb inbox                                     前 ${INBOX_PAGE.default} 件（最新在前）与全部件数
  aqjb inbox --from 2025-01-01 --status submitted --all     回填后核对：收到了多少、都是哪些
  aqjb inbox --due overdue --all                 已超期的（督办）
  aqjb inbox --due soon --days 3                 3 个工作日内到期的
先列件数：总数（符合全部筛选）、各状态件数（不计 --status）、已超期与即将到期（不计 --due）；再每件一行：
举报编码、状态、收件日期（北京时间）、承办单位、进行中的期限及剩余工作日、被举报单位。
  --status STATUS     只列此状态，STATUS 为：
${ReportStatus.options.map((s) => `                        ${s.padEnd(21)}${STATUS_NAMES[s]}`).join('\n')}
  --region CODE       只列令牌区划内此区划（省、市或县级代码）承办的
  --from DATE         收件日期不早于 DATE（YYYY-MM-DD，北京时间）
  --to DATE           收件日期不晚于 DATE
  --due overdue|soon  已超期的，或 --days 个工作日内到期的
  --days N            即将到期的范围：N 个工作日内（1–${INBOX_DUE_WITHIN_MAX}；默认 ${INBOX_DUE_WITHIN_DEFAULT}）
  --limit N           每页件数（1–${INBOX_PAGE.max}；默认 ${INBOX_PAGE.default}，--all 时 ${INBOX_PAGE.max}）
  --all               逐页取完（跟随 nextCursor）
  --json              每页原样输出一行 JSON（{ items, nextCursor?, counts }），不输出其他内容，供脚本使用
${API_HELP}${TOKEN_HELP}  任一角色（handler、backfill、read-only）均可；收件箱不含举报人信息和举报内容。
退出码：0 已列出，1 服务器拒绝（如 --region 超出令牌区划：403）或无法连接，2 参数有误、未发送。
`,
  options: (env) =>
    ({
      ...apiOption(env, LOCAL_API),
      ...tokenOptions(),
      status: { type: 'string' },
      region: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      due: { type: 'string' },
      days: { type: 'string' },
      limit: { type: 'string' },
      all: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    }) as const,
  async run(values, positionals, io) {
    if (positionals.length) throw new UsageError(`aqjb inbox 不接受位置参数：${positionals.join(' ')}`);
    const filters = {
      status: values.status,
      region: values.region,
      from: values.from,
      to: values.to,
      due: values.due,
      days: whole(values.days),
      limit: whole(values.limit) ?? (values.all ? INBOX_PAGE.max : undefined),
    } as InboxFilters;
    const staff = openStaffClient(values, io);
    let cursor: string | undefined;
    let shown = 0;
    do {
      let page: Inbox;
      try {
        page = await staff.inbox({ ...filters, ...(cursor ? { cursor } : {}) });
      } catch (error) {
        return staffCallFailed(error, staff, io);
      }
      if (values.json) {
        io.out.write(`${JSON.stringify(page)}\n`);
      } else {
        if (cursor === undefined) io.out.write(`${formatCounts(page.counts)}${page.counts.total ? '' : '（没有符合条件的举报）\n'}`);
        for (const item of page.items) io.out.write(formatItem(item));
        shown += page.items.length;
        if (page.nextCursor && !values.all) io.out.write(`（已列出 ${shown} 件，共 ${page.counts.total} 件；加 --all 列出全部）\n`);
      }
      cursor = page.nextCursor;
    } while (values.all && cursor);
    return EXIT.ok;
  },
});

