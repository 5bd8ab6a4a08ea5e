#!/usr/bin/env node
// The reference API server. Built to lib/ by `npm run build:lib` (run on install by `prepare`).
await import('../lib/server/main.js');
