#!/usr/bin/env node
// Enters a legacy reporting system's export into the national system (see scripts/backfill.ts for options).
// tsx (a runtime dependency) loads the TypeScript command and TypeScript adapter modules alike.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../scripts/backfill.ts');
process.exitCode = await main(process.argv.slice(2));
