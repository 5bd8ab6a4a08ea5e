/**
 * `node --import tsx src/server/rekey-main.ts [options]` is `aqjb rotate-key [options]`: the options, help and
 * exit codes live in ./cli/rotate-key.ts, the re-sealing in ./rekey.ts. `main` keeps the signature tests call.
 */
import { isMainModule, runCommand, type Out } from './cli/command.js';
import { rotateKey } from './cli/rotate-key.js';
import type { Sql } from './db/sql.js';

export const main = (argv: string[], out: Out = process.stdout, err: Out = process.stderr, sql?: Sql): Promise<number> =>
  runCommand(rotateKey, argv, { out, err, env: process.env, sql });

if (isMainModule(import.meta.url)) process.exit(await main(process.argv.slice(2)));
