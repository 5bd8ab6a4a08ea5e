import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { migrate } from '../db/migrate.js';
import { createRegionIndex, type RegionIndex } from '../regions.js';
import { createStaffToken, listStaffTokens, revokeStaffToken } from '../staff/index.js';
import { StaffRole } from '../../sdk/schemas/staff.js';
import { DATABASE_HELP, EXIT, UsageError, databaseOptions, defineCommand, withDatabase } from './command.js';

const ROLES = StaffRole.options.join('|');

/** `410105 河南省 郑州市 金水区`: the code with the names from the province down, as an operator checks it. */
const describe = (regions: RegionIndex, code: string) =>
  [code, ...[...regions.ancestors(code), regions.get(code)].map((r) => r?.name).filter(Boolean)].join(' ');

/**
 * `aqjb token create|list|revoke`: staff tokens on the server's database. A token answers for one division and
 * carries a role; the database keeps only its hash, so a lost token cannot be shown again: revoke it, create another.
 */
export const token = defineCommand({
  name: 'token',
  summary: '建立、列出、吊销经办人员令牌（各限一个区划、一个角色）',
  usage: `用法：
  aqjb token create --scope CODE --role ${ROLES} --label "说明" [--token-file FILE] [数据库选项]
  aqjb token list [数据库选项]
  aqjb token revoke <令牌编号> [数据库选项]
create：为一个区划（省、市或县级代码，如 410000 河南省、410100 郑州市、410105 金水区）建令牌：它只能看到、办理
  该区划及其下级的举报。角色：handler 经办（收件箱、含举报人信息的单件查看、受理等办理操作、录入），
  backfill 录入与核对（旧系统迁移；不含举报人信息），read-only 只读（收件箱与单件查看，不含举报人信息，督办用）。
  令牌只显示这一次：默认打印到标准输出；--token-file FILE 则写入新文件（仅本用户可读），不在屏幕上出现，
  之后 aqjb handle / aqjb backfill 用 --token-file FILE 读取。
  服务器首次启动前也可建令牌：--database-url 所指的新 PostgreSQL 库随即建表；PGlite 须先有数据库（aqjb migrate）。
  --province CODE 是 --scope 的旧名（只接受省级代码，未给 --role 时为 backfill），下一版本移除。
list：列出全部令牌（编号、角色、区划、状态、创建时间、说明），不含令牌本身。
revoke：吊销令牌，下一次请求起即失效。编号以 - 开头的旧令牌写作 revoke -- <令牌编号>。
数据库选项（PGlite 只供一个进程使用：先停服务器；PostgreSQL 无需停）：
${DATABASE_HELP}退出码：0 完成，1 失败（如没有可吊销的令牌），2 参数有误、未做任何更改。
`,
  options: (env) =>
    ({
      scope: { type: 'string' },
      province: { type: 'string' },
      role: { type: 'string' },
      label: { type: 'string' },
      'token-file': { type: 'string' },
      ...databaseOptions(env),
    }) as const,
  async run(values, positionals, io) {
    const [action, id, ...rest] = positionals;
    if (!action) throw new UsageError('请指定 create、list 或 revoke');
    const regions = createRegionIndex();

    if (action === 'create') {
      if (id !== undefined) throw new UsageError(`token create 不接受位置参数：${positionals.slice(1).join(' ')}`);
      if (values.scope && values.province) throw new UsageError('--scope 与 --province 只给一个（--province 是 --scope 的旧名）');
      let scope = values.scope ?? '';
      let role = values.role;
      if (values.province !== undefined) {
        scope = values.province;
        if (regions.get(scope)?.level !== 'province') throw new UsageError(`--province 须为省级区划代码（如 410000 河南省），收到：${scope || '（空）'}；市、县级用 --scope`);
        role ??= 'backfill';
        io.err.write(`提示：--province 已改名为 --scope，下一版本将移除${values.role ? '' : '；未给 --role，按旧令牌的用途记为 backfill'}。\n`);
      }
      if (!regions.get(scope)) throw new UsageError(`--scope 须为省、市或县级区划代码（如 410105 金水区），收到：${scope || '（空）'}`);
      const parsedRole = StaffRole.safeParse(role);
      if (!parsedRole.success) throw new UsageError(`--role 须为 ${StaffRole.options.join('、')} 之一，收到：${role ?? '（空）'}`);
      const label = values.label?.trim();
      if (!label) throw new UsageError('--label 必填：写明令牌给谁、做什么用（如 “金水区应急管理局 经办”）');
      const tokenFile = values['token-file'];
      // A new file only, readable by this user alone, opened before the token exists: an existing file (another
      // token?) is never overwritten, and a token is never created that has nowhere to go.
      let fd: number | undefined;
      if (tokenFile) {
        try {
          fd = openSync(tokenFile, 'wx', 0o600);
        } catch (error) {
          throw new UsageError(`无法新建令牌文件 ${tokenFile}（${(error as NodeJS.ErrnoException).code ?? 'error'}）：请换一个尚不存在的文件名`);
        }
      }
      try {
        return await withDatabase(values, io, async (sql) => {
          await migrate(sql);
          const created = await createStaffToken(sql, { scope, role: parsedRole.data, label });
          io.out.write(`令牌编号：${created.id}\n区划：${describe(regions, scope)}（${regions.orgNameFor(scope)}）\n角色：${parsedRole.data}\n`);
          if (fd === undefined) {
            io.out.write(`令牌（只显示这一次，请妥善保存）：\n${created.token}\n`);
          } else {
            writeSync(fd, `${created.token}\n`);
            io.out.write(`令牌已写入 ${tokenFile}（仅本用户可读），不会再次显示。\n`);
          }
          return EXIT.ok;
        }, 'named');
      } catch (error) {
        if (tokenFile) rmSync(tokenFile, { force: true });
        throw error;
      } finally {
        if (fd !== undefined) closeSync(fd);
      }
    }

    if (action === 'revoke') {
      if (!id || rest.length) throw new UsageError('用法：aqjb token revoke <令牌编号>');
      return withDatabase(values, io, async (sql) => {
        await migrate(sql);
        const done = await revokeStaffToken(sql, id);
        (done ? io.out : io.err).write(done ? `已吊销令牌 ${id}\n` : `没有可吊销的令牌 ${id}（不存在或已吊销）\n`);
        return done ? EXIT.ok : EXIT.failed;
      });
    }

    if (action === 'list') {
      if (id !== undefined) throw new UsageError(`token list 不接受位置参数：${positionals.slice(1).join(' ')}`);
      return withDatabase(values, io, async (sql) => {
        await migrate(sql);
        const tokens = await listStaffTokens(sql);
        if (!tokens.length) io.out.write('（没有令牌）\n');
        for (const t of tokens) {
          const state = t.revokedAt ? `已吊销 ${t.revokedAt}` : '有效';
          io.out.write(`${t.tokenId}  ${t.role.padEnd(9)}  ${describe(regions, t.scope)}  ${state}  创建于 ${t.createdAt}  ${t.label}\n`);
        }
        return EXIT.ok;
      });
    }
    throw new UsageError(`没有 token ${action} 这个操作：请用 create、list 或 revoke`);
  },
});
