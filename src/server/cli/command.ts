/**
 * What every `aqjb` subcommand shares: how its options are read, how it answers `--help`, what its exit codes mean
 * (0 done, 1 failed — see the output —, 2 bad arguments, nothing done), and the database and staff-token options.
 * A command declares its options and help here once; `runCommand` does the rest.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { openDatabase } from '../db/open.js';
import type { Sql } from '../db/sql.js';

export type Out = { write(text: string): unknown; isTTY?: boolean; columns?: number };

/** Where a command writes and what environment it reads: the process's by default, a test's own otherwise. */
export interface Io {
  out: Out;
  err: Out;
  env: Record<string, string | undefined>;
  /** An open database to use instead of the one the options name (tests; it stays open). */
  sql?: Sql;
}

export const processIo = (): Io => ({ out: process.stdout, err: process.stderr, env: process.env });

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Bad arguments: the command stops before doing anything, prints the message and points to its `--help`. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;
type Values<O extends Options> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>['values'];

export interface Command<O extends Options = Options> {
  name: string;
  /** One line for `aqjb help`. */
  summary: string;
  /** The full `--help` text, options included. */
  usage: string;
  /** Its options (`--help` is added); defaults may read the environment. */
  options: (env: Io['env']) => O;
  run(values: Values<O>, positionals: string[], io: Io): Promise<number>;
}

export const defineCommand = <O extends Options>(command: Command<O>): Command<O> => command;

/** Parses `argv` for `command`, answers `--help`, turns a `UsageError` into exit 2; every other error propagates. */
export async function runCommand<O extends Options>(command: Command<O>, argv: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { ...command.options(io.env), help: { type: 'boolean', short: 'h', default: false } },
    });
  } catch (error) {
    return usageFailed(command.name, (error as Error).message, io);
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.out.write(command.usage);
    return EXIT.ok;
  }
  try {
    return await command.run(parsed.values as Values<O>, parsed.positionals, io);
  } catch (error) {
    if (error instanceof UsageError) return usageFailed(command.name, error.message, io);
    // The database unreachable, a disk full: say what failed, without a stack trace.
    io.err.write(`aqjb ${command.name} 失败：${(error as Error)?.message ?? String(error)}\n`);
    return EXIT.failed;
  }
}

function usageFailed(name: string, message: string, io: Io): number {
  io.err.write(`${message}\n（用法见 aqjb ${name} --help）\n`);
  return EXIT.usage;
}

// ---------------------------------------------------------------------------------------------------------------
// The database: every command that opens it takes the same two options, read the same way as the server's.

export const databaseOptions = (env: Io['env']) =>
  ({
    'data-dir': { type: 'string', default: env.AQJB_DATA_DIR ?? '.data' },
    'database-url': { type: 'string', default: env.DATABASE_URL },
  }) as const;

export const DATABASE_HELP = `  --data-dir DIR      the server's data directory: PGlite files, uploads (default .data, or AQJB_DATA_DIR)
  --database-url URL  PostgreSQL instead of PGlite (or DATABASE_URL)
                      Only aqjb migrate (or the server) starts a new PGlite database; the other commands refuse a
                      --data-dir without one (exit 2): on a PostgreSQL deployment, give the URL
`;

/**
 * What `withDatabase` may find. `existing` (the default): the server's database, with our tables. `named`: as
 * `existing` for PGlite, but any PostgreSQL database the URL names, tables or not (aqjb token create before the
 * first serve: the operator named that database on purpose). `create`: anything; a new database is started
 * (aqjb migrate).
 */
export type DatabaseUse = 'existing' | 'named' | 'create';

const NO_DATABASE_HINT =
  '服务器用 PostgreSQL 时请给 --database-url URL（或设环境变量 DATABASE_URL）；用 PGlite 时请给服务器的 --data-dir DIR（或 AQJB_DATA_DIR）。新部署请先运行 aqjb migrate 建库';

/**
 * Opens the database the options name, runs `work`, closes it. PGlite serves one process: stop the server first.
 * A data directory without a PGlite database, or (`existing`) a PostgreSQL database without our tables, is refused
 * before anything is written (a `UsageError`: exit 2): a command run without `--database-url` on a PostgreSQL
 * deployment would otherwise work on an empty PGlite of its own and report success.
 */
export async function withDatabase<T>(
  values: { 'data-dir'?: string; 'database-url'?: string },
  io: Io,
  work: (sql: Sql) => Promise<T>,
  use: DatabaseUse = 'existing',
): Promise<T> {
  if (io.sql) return work(io.sql);
  const dataDir = values['data-dir'];
  const databaseUrl = values['database-url'];
  if (!databaseUrl && dataDir) {
    // PGlite's own test for a database (PG_VERSION); opening without one would run initdb here.
    if (use !== 'create' && !existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'))) {
      throw new UsageError(`${dataDir} 中没有数据库（未找到 ${path.join(dataDir, 'pglite')}），未做任何更改。${NO_DATABASE_HINT}`);
    }
    mkdirSync(dataDir, { recursive: true });
  }
  const sql = await openDatabase({ dataDir, databaseUrl });
  try {
    if (use === 'existing' && databaseUrl) {
      const { rows } = await sql.query<{ present: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS present");
      // The URL (with its password) is not repeated.
      if (!rows[0]?.present) throw new UsageError(`--database-url 所指的数据库中没有 aqjb 的表，未做任何更改。请确认它是服务器所用的数据库；${NO_DATABASE_HINT}`);
    }
    return await work(sql);
  } finally {
    await sql.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// A staff token for a command that calls the staff API. Never on the command line: `ps` and shell history show
// every argument to anyone on the machine.

export const tokenOptions = () =>
  ({
    'token-file': { type: 'string' },
    // Declared only to refuse it with the reason, rather than as an unknown option.
    token: { type: 'string' },
  }) as const;

export const TOKEN_HELP = `  --token-file FILE   a file holding the staff token (aqjbst_…), e.g. written by aqjb token create --token-file;
                      or the environment variable AQJB_STAFF_TOKEN. Never on the command line: ps shows it
`;

/** The staff token from `--token-file` or `AQJB_STAFF_TOKEN`; a `UsageError` naming what to do otherwise. */
export function readStaffToken(values: { 'token-file'?: string; token?: string }, env: Io['env']): string {
  if (values.token !== undefined) {
    throw new UsageError('--token 不再接受：命令行参数其他用户用 ps 即可看到。请把令牌存入文件并用 --token-file FILE，或设环境变量 AQJB_STAFF_TOKEN');
  }
  if (values['token-file']) {
    let text: string;
    try {
      text = readFileSync(values['token-file'], 'utf8');
    } catch (error) {
      throw new UsageError(`无法读取令牌文件 ${values['token-file']}（${(error as NodeJS.ErrnoException).code ?? 'error'}）`);
    }
    const token = text.trim();
    if (!token) throw new UsageError(`令牌文件 ${values['token-file']} 是空的`);
    return token;
  }
  const fromEnv = env.AQJB_STAFF_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  throw new UsageError('缺少经办人员令牌：用 --token-file FILE 指定令牌文件，或设环境变量 AQJB_STAFF_TOKEN');
}

/** `--api URL` or `AQJB_API`: the reference server's base URL. */
export const apiOption = (env: Io['env'], fallback?: string) => ({ api: { type: 'string', default: env.AQJB_API ?? fallback } }) as const;

/** The command's own path when run directly (`node --import tsx src/server/cli/main.ts`), for the entry guards. */
export const isMainModule = (url: string) => !!process.argv[1] && url === pathToFileURL(process.argv[1]).href;
