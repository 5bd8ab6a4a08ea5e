/**
 * `npm run handle` is `aqjb handle` (src/server/cli/handle.ts). This `main` keeps the signature the tests call; the
 * staff token comes from `--token-file` or AQJB_STAFF_TOKEN, in `env` here.
 */
import { runCommand, type Out } from '../src/server/cli/command.js';
import { handle } from '../src/server/cli/handle.js';

export const main = (argv: string[], out: Out = process.stdout, err: Out = process.stderr, env: Record<string, string | undefined> = process.env): Promise<number> =>
  runCommand(handle, argv, { out, err, env });
