/**
 * Staff tokens on the reference server's database: create (prints the token once), revoke, list.
 *
 *   npm run staff-token -- create --province 410000 --label "河南省厅 旧系统迁移" [--data-dir .data | --database-url URL]
 *   npm run staff-token -- revoke <id>
 *   npm run staff-token -- list
 *
 * A token is scoped to one province: it enters and reads reports only for regions under it. The database keeps
 * only its hash, so a lost token cannot be shown again: revoke it and create another.
 * PGlite serves one process: stop the server before running this on its data directory (PostgreSQL needs no stop).
 */
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/server/db/open.js';
import { migrate } from '../src/server/db/migrate.js';
import type { Sql } from '../src/server/db/sql.js';
import { createRegionIndex } from '../src/server/regions.js';
import { createStaffToken, listStaffTokens, revokeStaffToken } from '../src/server/staff/index.js';
import staffSchema from '../src/server/db/migrations/003_staff.js';

type Out = { write(text: string): unknown };

const USAGE = `用法：
  staff-token create --province 410000 --label "说明" [--data-dir DIR | --database-url URL]
  staff-token revoke <令牌编号> [--data-dir DIR | --database-url URL]
  staff-token list [--data-dir DIR | --database-url URL]
`;

export async function main(argv: string[], out: Out = process.stdout, err: Out = process.stderr, sqlOverride?: Sql): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        province: { type: 'string' },
        label: { type: 'string' },
        'data-dir': { type: 'string', default: process.env.AQJB_DATA_DIR ?? '.data' },
        'database-url': { type: 'string', default: process.env.DATABASE_URL },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    // Ids issued before they were hex may begin with '-': `revoke -- <id>` passes them.
    err.write(`${(error as Error).message}\n（令牌编号以 - 开头时写作 revoke -- <令牌编号>）\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, id] = positionals;
  if (values.help || !command || !['create', 'revoke', 'list'].includes(command)) {
    (values.help ? out : err).write(USAGE);
    return values.help ? 0 : 2;
  }
  const regions = createRegionIndex();
  if (command === 'create') {
    const province = values.province ?? '';
    const region = regions.get(province);
    if (!region || region.level !== 'province') {
      err.write(`--province 须为省级区划代码（如 410000 河南省），收到：${province || '（空）'}\n`);
      return 2;
    }
    if (!values.label?.trim()) {
      err.write('--label 必填：写明令牌给谁、做什么用（如 “河南省厅 旧系统迁移”）\n');
      return 2;
    }
  }
  if (command === 'revoke' && !id) {
    err.write(USAGE);
    return 2;
  }

  const sql =
    sqlOverride ??
    (await openDatabase({ dataDir: values['data-dir'], databaseUrl: values['database-url'] }));
  try {
    await migrate(sql);
    // Until 003_staff is in the migration list everywhere; its statements are idempotent.
    await sql.exec(staffSchema);
    if (command === 'create') {
      const created = await createStaffToken(sql, { scope: values.province!, role: 'handler', label: values.label!.trim() });
      out.write(`令牌编号：${created.id}（${regions.get(values.province!)!.name}）\n`);
      out.write(`令牌（只显示这一次，请妥善保存）：\n${created.token}\n`);
      return 0;
    }
    if (command === 'revoke') {
      const done = await revokeStaffToken(sql, id!);
      (done ? out : err).write(done ? `已吊销令牌 ${id}\n` : `没有可吊销的令牌 ${id}（不存在或已吊销）\n`);
      return done ? 0 : 1;
    }
    const tokens = await listStaffTokens(sql);
    if (!tokens.length) out.write('（没有令牌）\n');
    for (const t of tokens) {
      const state = t.revokedAt ? `已吊销 ${t.revokedAt}` : '有效';
      out.write(`${t.tokenId}  ${t.scope} ${regions.get(t.scope)?.name ?? ''}  ${state}  创建于 ${t.createdAt}  ${t.label}\n`);
    }
    return 0;
  } finally {
    if (!sqlOverride) await sql.close();
  }
}

if (import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  process.exitCode = await main(process.argv.slice(2));
}
