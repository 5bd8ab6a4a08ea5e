#!/usr/bin/env node
// `aqjb-reference-server [options]` is `aqjb serve [options]`: the name README and earlier users type.
const { run } = await import('../lib/server/cli/main.js');
process.exit(await run(['serve', ...process.argv.slice(2)]));
