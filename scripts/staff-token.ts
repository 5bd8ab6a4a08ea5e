/**
 * `npm run staff-token` is `aqjb token` (src/server/cli/token.ts). This `main` keeps the signature the tests call,
 * with an open database in place of the one the options name.
 */
import { runCommand, type Out } from '../src/server/cli/command.js';
import { token } from '../src/server/cli/token.js';
import type { Sql } from '../src/server/db/sql.js';

export const main = (argv: string[], out: Out = process.stdout, err: Out = process.stderr, sql?: Sql): Promise<number> =>
  runCommand(token, argv, { out, err, env: process.env, sql });
