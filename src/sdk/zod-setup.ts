// Before any schema is built: zod must not probe `new Function`, which a strict Content-Security-Policy
// (no 'unsafe-eval') reports as a violation. Imported first by every browser entry point.
//
// Set on the configuration object zod keeps on `globalThis` (so that every copy of zod in a page shares it) rather
// than through `config()` from 'zod/mini': importing zod here would put it on the first screen, which has no schema
// to run before the notice is painted. tests/sdk/client-options.test.ts checks that zod reads it.
const shared = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
(shared.__zod_globalConfig ??= {}).jitless = true;

export {};
