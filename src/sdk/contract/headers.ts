// Header names of the contract, apart from the schemas: a module that imports only these costs a few bytes
// (importing them from reports.ts would bring zod and the report schemas along).

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** Header that carries the report code: in a URL, a proxy's access log would pair it with the citizen's address. */
export const REPORT_CODE_HEADER = 'X-Report-Code';
/** Header that carries the query key: never a URL, so it stays out of server and proxy logs. */
export const QUERY_KEY_HEADER = 'X-Query-Key';
