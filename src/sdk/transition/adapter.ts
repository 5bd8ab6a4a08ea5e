import type * as z from 'zod/mini';
import { isAqjbError } from '../errors.js';
import { createTransport, isHTTPError, toAqjbError } from '../transport.js';
import { ReportReceipt } from '../schemas/report.js';
import { Progress } from '../schemas/progress.js';
import { StaffReportEntry, type ParsedReportContent } from '../schemas/staff.js';
import { LegacyError, MappingError, type MappingDirection } from './errors.js';

/** What an adapter maps to the legacy system: the report's content and, in dual mode, its national code. */
export interface TransitionReport {
  /** The national report code (dual mode). The outbox sends it as the legacy idempotency key. */
  nationalCode?: string;
  /** When the report was received (the national receipt's time in dual mode; the filing time in legacy mode). */
  submittedAt: string;
  content: ParsedReportContent;
}

/** JSON over HTTP to the legacy system, relative to its base URL. Non-2xx is `LegacyError`; no answer `NetworkError`. */
export interface LegacyHttp {
  get(path: string, options?: { searchParams?: Record<string, string>; headers?: Record<string, string>; signal?: AbortSignal }): Promise<unknown>;
  post(path: string, options: { json: unknown; headers?: Record<string, string>; signal?: AbortSignal }): Promise<unknown>;
}

/**
 * How one legacy reporting system takes reports and answers lookups. Everything crossing the boundary is checked
 * with a schema: ours on our side, the adapter's `schemas` on theirs, so a mismatch is a `MappingError` naming the
 * field instead of a corrupt record in either system. Types flow from the schemas: write an adapter with
 * `defineLegacyAdapter` and TypeScript checks every mapping function against them.
 */
export interface LegacyAdapter<
  Sub extends z.ZodMiniType = z.ZodMiniType,
  Rec extends z.ZodMiniType = z.ZodMiniType,
  Prog extends z.ZodMiniType = z.ZodMiniType,
  Row extends z.ZodMiniType = z.ZodMiniType,
> {
  /** Registry name, e.g. `henan`. */
  readonly name: string;
  /** Report codes this system issued (e.g. `/^HN\d{14}$/`), tested after `normalizeCode`. */
  readonly codePattern: RegExp;
  /** Forgives what citizens type (spaces, lower case); default: trim, drop spaces and dashes, upper case. */
  normalizeCode?(text: string): string;
  readonly schemas: { submission: Sub; receipt: Rec; progress: Prog; exportRow?: Row };
  /** Their field → ours (or ours → theirs), so errors name both sides: `{ 'jubaoren.shouji': 'reporter.phone' }`. */
  readonly fields?: Readonly<Record<string, string>>;

  /** Our report → their submission (checked with `schemas.submission`). Throw `mappingError()` for what has no equivalent. */
  toLegacy(report: TransitionReport): z.input<Sub>;
  /** Sends one submission; resolves with their raw answer once they have it. `idempotencyKey` must dedupe on their side. */
  send(http: LegacyHttp, submission: z.output<Sub>, options: { idempotencyKey: string; signal?: AbortSignal }): Promise<unknown>;
  /** Their receipt → ours (checked with `ReportReceipt`); `reportCode` is their code, which the citizen keeps. */
  fromReceipt(receipt: z.output<Rec>, report: TransitionReport): z.input<typeof ReportReceipt>;
  /** Fetches the raw progress of one of their codes. */
  lookup(http: LegacyHttp, code: string, queryKey: string, options: { signal?: AbortSignal }): Promise<unknown>;
  /** Their progress → ours (checked with `Progress`). */
  fromProgress(progress: z.output<Prog>, code: string): z.input<typeof Progress>;
  /**
   * One row of their export → a staff entry for backfill (checked with `StaffReportEntry`), or the national code
   * of a row that came from the national system in the first place (dual mode's copies), which is not entered again.
   */
  fromExport?(row: z.output<Row>): z.input<typeof StaffReportEntry> | { nationalCode: string };
  /** The row's id in their system, named in the result file even when the row cannot be mapped. */
  exportIdOf?(row: unknown): string | undefined;
}

// Any adapter, whatever its schemas: what the runtime (client, outbox, backfill) handles.
export type AnyLegacyAdapter = LegacyAdapter<any, any, any, any>;

/** Identity with inference: the schemas fix the types every mapping function is checked against. */
export const defineLegacyAdapter = <Sub extends z.ZodMiniType, Rec extends z.ZodMiniType, Prog extends z.ZodMiniType, Row extends z.ZodMiniType = z.ZodMiniType>(
  adapter: LegacyAdapter<Sub, Rec, Prog, Row>,
) => adapter;

/** For an adapter's mapping functions: the field has no equivalent on the other side, or its value none. */
export const mappingError = (adapter: string, direction: MappingDirection, field: string, reason: string) =>
  new MappingError({ adapter, direction, field, reason });

export const normalizeLegacyCode = (adapter: AnyLegacyAdapter, text: string) =>
  adapter.normalizeCode ? adapter.normalizeCode(text) : text.trim().replace(/[\s-]+/g, '').toUpperCase();

/** The adapter's own code for `text`, or undefined when it is not one of theirs. */
export function legacyCodeOf(adapter: AnyLegacyAdapter, text: string): string | undefined {
  const code = normalizeLegacyCode(adapter, text);
  return adapter.codePattern.test(code) ? code : undefined;
}

const counterpartOf = (adapter: AnyLegacyAdapter, path: string) => {
  const fields = adapter.fields ?? {};
  return fields[path] ?? Object.keys(fields).find((theirs) => fields[theirs] === path);
};

/** Parses `value` with `schema`; a failure is a MappingError naming the first failing field. */
export function checkMapped<S extends z.ZodMiniType>(
  adapter: AnyLegacyAdapter,
  direction: MappingDirection,
  schema: S,
  value: unknown,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data as z.output<S>;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', reason: i.message }));
  const first = issues[0]!;
  const counterpart = counterpartOf(adapter, first.path);
  throw new MappingError({ adapter: adapter.name, direction, field: first.path, reason: first.reason, issues, counterpart });
}

/** Runs an adapter's mapping function; anything it throws that is not ours becomes a MappingError. */
export function runMapping<T>(adapter: AnyLegacyAdapter, direction: MappingDirection, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (isAqjbError(error)) throw error;
    throw new MappingError({ adapter: adapter.name, direction, field: '(adapter)', reason: (error as Error)?.name ?? 'Error', cause: error });
  }
}

/** Maps our report to their submission, checked on both ends. */
export function mapToLegacy(adapter: AnyLegacyAdapter, report: TransitionReport) {
  const mapped = runMapping(adapter, 'to-legacy', () => adapter.toLegacy(report));
  return checkMapped(adapter, 'to-legacy', adapter.schemas.submission, mapped);
}

/** Their raw receipt → ours, checked on both ends. */
export function mapReceipt(adapter: AnyLegacyAdapter, raw: unknown, report: TransitionReport): z.output<typeof ReportReceipt> {
  const receipt = checkMapped(adapter, 'from-legacy', adapter.schemas.receipt, raw);
  const ours = runMapping(adapter, 'from-legacy', () => adapter.fromReceipt(receipt, report));
  return checkMapped(adapter, 'from-legacy', ReportReceipt, ours);
}

/** Their raw progress → ours, checked on both ends. */
export function mapProgress(adapter: AnyLegacyAdapter, raw: unknown, code: string): z.output<typeof Progress> {
  const progress = checkMapped(adapter, 'from-legacy', adapter.schemas.progress, raw);
  const ours = runMapping(adapter, 'from-legacy', () => adapter.fromProgress(progress, code));
  return checkMapped(adapter, 'from-legacy', Progress, ours);
}

/** One exported row → a staff entry (or the national code it already has), checked on both ends (backfill). */
export function mapExportRow(
  adapter: AnyLegacyAdapter,
  row: unknown,
): { entry: z.output<typeof StaffReportEntry> } | { nationalCode: string } {
  const fromExport = adapter.fromExport;
  if (!fromExport) throw new MappingError({ adapter: adapter.name, direction: 'from-legacy', field: '(adapter)', reason: '适配器没有 fromExport' });
  const parsedRow = adapter.schemas.exportRow ? checkMapped(adapter, 'from-legacy', adapter.schemas.exportRow, row) : row;
  const mapped = runMapping(adapter, 'from-legacy', () => fromExport(parsedRow));
  if (mapped && typeof mapped === 'object' && 'nationalCode' in mapped && typeof mapped.nationalCode === 'string') {
    return { nationalCode: mapped.nationalCode };
  }
  return { entry: checkMapped(adapter, 'from-legacy', StaffReportEntry, mapped) };
}

export interface LegacyHttpOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  /** Per request; default 15000. */
  timeoutMs?: number;
}

const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);

/** The adapter's transport: the SDK's on the legacy base URL, no cookies, no automatic retries (callers decide). */
export function createLegacyHttp(options: LegacyHttpOptions): LegacyHttp {
  const { http } = createTransport({ ...options, retry: 0 });
  // Adapters may write their paths with a leading slash; the base URL's own path comes first either way.
  const relative = (path: string) => path.replace(/^\/+/, '');
  const run = async (request: () => Promise<Response>) => {
    try {
      const response = await request();
      return (await response.json()) as unknown;
    } catch (error) {
      if (isHTTPError(error)) {
        const { status } = error.response;
        throw new LegacyError({ status, code: `LEGACY_HTTP_${status}`, message: `旧系统返回 HTTP ${status}`, retryable: RETRYABLE.has(status), cause: error });
      }
      if (error instanceof SyntaxError) {
        throw new LegacyError({ status: 200, code: 'LEGACY_BAD_RESPONSE', message: '旧系统返回的不是 JSON', retryable: true, cause: error });
      }
      throw await toAqjbError(error);
    }
  };
  return {
    get: (path, o = {}) => run(() => http(relative(path), { method: 'GET', searchParams: o.searchParams, headers: o.headers, signal: o.signal })),
    post: (path, o) => run(() => http(relative(path), { method: 'POST', json: o.json, headers: o.headers, signal: o.signal })),
  };
}
