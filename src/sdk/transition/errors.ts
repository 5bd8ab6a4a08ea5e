import { AqjbError, isAqjbError } from '../errors.js';

export type MappingDirection = 'to-legacy' | 'from-legacy';

/**
 * A report or an answer could not be mapped between our schema and a legacy system's. `field` names the first
 * field that failed (dotted path in the schema that was checked: theirs when mapping out, ours when mapping in,
 * each with the other side's name in `counterpart` when the adapter declares it). Values never go into the
 * message: it reaches logs and the outbox's operator view.
 */
export class MappingError extends AqjbError {
  override name = 'MappingError';
  readonly adapter: string;
  readonly direction: MappingDirection;
  /** Dotted path of the first field that failed, e.g. `jubaoren.shouji` or `acceptBy`. */
  readonly field: string;
  /** The same field on the other side, from the adapter's `fields` map, e.g. `reporter.phone`. */
  readonly counterpart?: string;
  /** Every failing field with its reason (a schema message or the adapter's words; never a value). */
  readonly issues: readonly { path: string; reason: string }[];
  constructor(init: {
    adapter: string;
    direction: MappingDirection;
    field: string;
    reason: string;
    counterpart?: string;
    issues?: readonly { path: string; reason: string }[];
    cause?: unknown;
  }) {
    const other = init.counterpart ? `（对应 ${init.counterpart}）` : '';
    const where = init.direction === 'to-legacy' ? '转换为旧系统格式' : '从旧系统格式转换';
    super('MAPPING_FAILED', `${init.adapter}：${where}时字段 ${init.field}${other} 不正确：${init.reason}`, { cause: init.cause });
    this.adapter = init.adapter;
    this.direction = init.direction;
    this.field = init.field;
    if (init.counterpart !== undefined) this.counterpart = init.counterpart;
    this.issues = init.issues ?? [{ path: init.field, reason: init.reason }];
  }
}

/**
 * True for a MappingError also from another copy of this module: an adapter loaded by `aqjb backfill` through tsx,
 * or bundled with its own copy of the SDK, throws its copy's class, which `instanceof` does not recognise.
 */
export const isMappingError = (value: unknown): value is MappingError =>
  value instanceof MappingError || (isAqjbError(value) && value.name === 'MappingError' && typeof (value as MappingError).field === 'string');

/**
 * The legacy system refused or failed a request. `retryable` says whether sending the same thing later may
 * succeed (their 5xx, 408, 429, or a business code the adapter marks as temporary); the outbox retries those and
 * marks the rest `failed` for an operator.
 */
export class LegacyError extends AqjbError {
  override name = 'LegacyError';
  readonly status: number;
  readonly retryable: boolean;
  constructor(init: { status: number; code: string; message: string; retryable: boolean; cause?: unknown }) {
    super(init.code, init.message, { cause: init.cause });
    this.status = init.status;
    this.retryable = init.retryable;
  }
}
