import { createClient, type AqjbClient, type CallOptions, type ClientOptions } from '../client.js';
import { AqjbError } from '../errors.js';
import { call } from '../transport.js';
import { parseInput } from '../issues.js';
import { ReportDraft, type ParsedReportDraft } from '../schemas/report.js';
import type { ParsedReportContent } from '../schemas/staff.js';
import {
  createLegacyHttp,
  legacyCodeOf,
  mapProgress,
  mapReceipt,
  mapToLegacy,
  type AnyLegacyAdapter,
  type LegacyHttpOptions,
  type TransitionReport,
} from './adapter.js';
import { createOutbox, systemOutboxClock, type BackoffOptions, type Outbox, type OutboxClock } from './outbox.js';
import type { OutboxStore } from './outbox-store.js';

/**
 * `national`: the national system only (the end state). `dual`: the national system first, a copy to the legacy
 * system through the outbox. `legacy`: the province has not switched; reports go to the legacy system and are
 * backfilled into the national one by the province's servers (`aqjb backfill`).
 */
export type TransitionMode = 'national' | 'dual' | 'legacy';
export const TRANSITION_MODES: readonly TransitionMode[] = ['national', 'dual', 'legacy'];

export interface TransitionClientOptions {
  /** The national client, or the options to create one. */
  national: AqjbClient | ClientOptions;
  /**
   * The legacy system: its adapter and base URL. Needed for `dual` and `legacy`; with `national` it is optional and
   * serves only lookups of its codes, for as long as the old system keeps running.
   */
  legacy?: LegacyHttpOptions & { adapter: AnyLegacyAdapter };
  mode: TransitionMode;
  /**
   * Where dual mode keeps reports until the legacy system has them: `createSqlOutbox(db)` in Node; in browsers
   * IndexedDB (`openIndexedDbOutbox`, loaded on first use) when left out.
   */
  outbox?: OutboxStore | Promise<OutboxStore>;
  /** Retry timing of the outbox. */
  backoff?: BackoffOptions;
  /** Tests move time by hand; the platform's timers otherwise. */
  clock?: OutboxClock;
}

export type TransitionClient = AqjbClient & {
  readonly mode: TransitionMode;
  /** Dual mode's outbox (state, subscribe, flush, retry); undefined in the other modes. */
  readonly outbox: Outbox | undefined;
  /** The legacy system's code for `text` when the adapter recognises it (a lookup goes there), else undefined. */
  legacyCodeOf(text: string): string | undefined;
  /** Stops the outbox's timers. */
  close(): void;
};

/** Strips what only the national web path needs: the notice token, the SMS code, the consent box. */
export function contentOf(draft: ParsedReportDraft): ParsedReportContent {
  if (draft.mode === 'anonymous') {
    const { ackToken: _ack, ...content } = draft;
    return content;
  }
  const { ackToken: _ack, consent: _consent, reporter, ...rest } = draft;
  const { smsCode: _sms, ...person } = reporter;
  return { ...rest, reporter: person };
}

async function defaultBrowserOutbox(): Promise<OutboxStore> {
  if (typeof indexedDB === 'undefined') {
    throw new AqjbError('OUTBOX_REQUIRED', '双轨模式需要持久化的发件箱：Node 中请传入 outbox（createSqlOutbox）');
  }
  const { openIndexedDbOutbox } = await import('./outbox-idb.js');
  return openIndexedDbOutbox();
}

/**
 * A client with the national client's methods that bridges a provincial legacy system during the transition.
 * Notice, regions, dictionaries, SMS and uploads are always national; `submitReport` follows the mode;
 * `getProgress` goes to the legacy system for codes its adapter recognises and nationally otherwise.
 */
export function createTransitionClient(options: TransitionClientOptions): TransitionClient {
  const { mode } = options;
  if (!TRANSITION_MODES.includes(mode)) throw new AqjbError('BAD_MODE', `不支持的过渡模式：${String(mode)}`);
  const national: AqjbClient = 'submitReport' in options.national ? options.national : createClient(options.national);
  const legacy = options.legacy;
  if (mode !== 'national' && !legacy) throw new AqjbError('LEGACY_REQUIRED', `${mode} 模式需要旧系统的 adapter 和 baseUrl`);
  const adapter = legacy?.adapter;
  const http = legacy ? createLegacyHttp(legacy) : undefined;

  let outbox: Outbox | undefined;
  if (mode === 'dual') {
    const store = options.outbox ?? defaultBrowserOutbox();
    const locks = (globalThis.navigator as { locks?: { request(name: string, fn: () => Promise<void>): Promise<void> } } | undefined)?.locks;
    outbox = createOutbox({ store, adapter: adapter!, http: http!, clock: options.clock, backoff: options.backoff, locks });
    // Whatever an earlier page or process left behind goes out now.
    void outbox.flush().catch(() => {});
  }

  // In every mode, also after the switch: citizens who filed in the old system look up there while it runs.
  const lookupCode = (text: string) => (adapter ? legacyCodeOf(adapter, text) : undefined);
  const now = () => (options.clock ?? systemOutboxClock).now();

  async function submitDual(draft: ReportDraft, opts: CallOptions & { idempotencyKey: string }) {
    const receipt = await national.submitReport(draft, opts);
    // The citizen has their national receipt: nothing the legacy side does can fail this call.
    try {
      const parsed = parseInput(ReportDraft, draft) as ParsedReportDraft;
      await outbox!.enqueue({ nationalCode: receipt.reportCode, submittedAt: receipt.submittedAt, content: contentOf(parsed) });
    } catch {
      // The store itself failed (quota, private browsing): the national report stands; the outbox cannot help.
    }
    return receipt;
  }

  const submitLegacy = (draft: ReportDraft, { idempotencyKey, signal }: CallOptions & { idempotencyKey: string }) =>
    call(async () => {
      const parsed = parseInput(ReportDraft, draft, (draft as { mode?: string }).mode === 'anonymous') as ParsedReportDraft;
      if (!idempotencyKey) throw new AqjbError('IDEMPOTENCY_KEY_REQUIRED', '缺少幂等键（idempotencyKey）');
      const report: TransitionReport = { submittedAt: new Date(now()).toISOString(), content: contentOf(parsed) };
      const submission = mapToLegacy(adapter!, report);
      const raw = await adapter!.send(http!, submission, { idempotencyKey, signal });
      return mapReceipt(adapter!, raw, report);
    });

  return {
    ...national,
    mode,
    outbox,
    legacyCodeOf: lookupCode,
    close: () => outbox?.close(),

    submitReport: (draft, opts) => (mode === 'dual' ? submitDual(draft, opts) : mode === 'legacy' ? submitLegacy(draft, opts) : national.submitReport(draft, opts)),

    getProgress: (reportCode, queryKey, opts: CallOptions = {}) => {
      const code = lookupCode(reportCode);
      if (!code || !adapter || !http) return national.getProgress(reportCode, queryKey, opts);
      return call(async () => mapProgress(adapter, await adapter.lookup(http, code, queryKey.trim(), { signal: opts.signal }), code));
    },

    addSupplement: (reportCode, queryKey, supplement, opts) => {
      if (lookupCode(reportCode)) {
        return Promise.reject(new AqjbError('LEGACY_UNSUPPORTED', '旧系统的举报请通过原渠道补充材料'));
      }
      return national.addSupplement(reportCode, queryKey, supplement, opts);
    },
  };
}
