import { config } from 'zod/mini';

// Before any schema is built: zod must not probe `new Function`, which a strict Content-Security-Policy
// (no 'unsafe-eval') reports as a violation. Imported first by every browser entry point.
config({ jitless: true });
