#!/usr/bin/env node
// The operator commands: serve (the default), token, handle, inbox, migrate, rotate-key, backfill (`aqjb --help`).
// Built to lib/ by `npm run build:lib` (the `prepare` script); a checkout runs src/server/cli/main.ts through tsx.
const { run } = await import('../lib/server/cli/main.js');
process.exit(await run(process.argv.slice(2)));
