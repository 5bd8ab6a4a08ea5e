/**
 * `aqjb <command> [options]`: the operator commands of the published package (bin/aqjb.mjs runs the build of this
 * file; `npm run <script>` in a checkout runs this file through tsx, so both run the same code). Without a command
 * it serves (`aqjb --port 8080` = `aqjb serve --port 8080`).
 */
import { backfillCommand } from './backfill.js';
import { EXIT, isMainModule, processIo, runCommand, type Command, type Io } from './command.js';
import { handle } from './handle.js';
import { inbox } from './inbox.js';
import { migrate } from './migrate.js';
import { rotateKey } from './rotate-key.js';
import { serve } from './serve.js';
import { token } from './token.js';

// Each command's option type differs; the table only dispatches.
const COMMANDS = [serve, token, handle, inbox, migrate, rotateKey, backfillCommand] as unknown as readonly Command[];

const find = (name: string | undefined) => COMMANDS.find((c) => c.name === name);

export const USAGE = `用法：aqjb <命令> [选项]     （不给命令即 serve；aqjb <命令> --help 看各命令的选项）
${COMMANDS.map((c) => `  ${c.name.padEnd(11)}${c.summary}`).join('\n')}
  help [命令] 本列表，或某个命令的选项
数据库：serve 与 migrate 可新建数据库；token、rotate-key 只用已有的（token create 也可用新的 PostgreSQL 库），找不到时不做任何事（退出码 2）。
  服务器用 PostgreSQL 时，各命令都要给 --database-url URL 或环境变量 DATABASE_URL。
退出码：0 完成，1 失败（见输出），2 参数有误、未做任何事。
`;

/** Runs one `aqjb` command line; resolves with the exit code (serve: when it has stopped). */
export async function run(argv: string[], io: Io = processIo()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === 'help' || first === '--help' || first === '-h') {
    const command = first === 'help' && rest[0] ? find(rest[0]) : undefined;
    if (first === 'help' && rest[0] && !command) {
      io.err.write(`没有 ${rest[0]} 这个命令\n${USAGE}`);
      return EXIT.usage;
    }
    io.out.write(command ? command.usage : USAGE);
    return EXIT.ok;
  }
  if (first === undefined || first.startsWith('-')) return runCommand(serve as unknown as Command, argv, io);
  const command = find(first);
  if (!command) {
    io.err.write(`没有 ${first} 这个命令\n${USAGE}`);
    return EXIT.usage;
  }
  return runCommand(command, rest, io);
}

if (isMainModule(import.meta.url)) process.exit(await run(process.argv.slice(2)));
