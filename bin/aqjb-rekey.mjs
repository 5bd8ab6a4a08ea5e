#!/usr/bin/env node
// Re-seals every encrypted value under the current data key (see `aqjb-rekey --help`). Built to lib/ like the server.
const { main } = await import('../lib/server/rekey-main.js');
process.exitCode = await main(process.argv.slice(2));
