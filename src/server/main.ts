/**
 * `node --import tsx src/server/main.ts [options]` (and the `aqjb-reference-server` bin) is `aqjb serve [options]`:
 * the options, help and exit codes live in ./cli/serve.ts.
 */
import { run } from './cli/main.js';

process.exit(await run(['serve', ...process.argv.slice(2)]));
