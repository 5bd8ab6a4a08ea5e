/**
 * What a failed request of the lookup means for the citizen: not found (one neutral answer for a wrong key and an
 * unknown code), too many lookups (with how long to wait), no connection, or anything else; and the alert that says
 * so, with 「重新查询」 where trying again can help.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { isAqjbError, type AqjbError } from '../../sdk/errors.js';
import type { Messages } from '../locales/localize.js';
import { withHotline } from '../internal/hotline.js';

export type Failure = { kind: 'not-found' } | { kind: 'rate-limited'; waitMs: number } | { kind: 'network' } | { kind: 'failed' };

/** The SDK error's stable code, or '' for anything else. */
export const codeOf = (error: unknown): string => (isAqjbError(error) ? error.code : '');

export function failureOf(error: unknown): Failure {
  switch (codeOf(error)) {
    // One neutral answer for a wrong key and an unknown code: the server gives both the same, and so do we.
    case 'REPORT_NOT_FOUND':
    case 'REPORT_CODE_INVALID':
      return { kind: 'not-found' };
    case 'RATE_LIMITED':
      return { kind: 'rate-limited', waitMs: (error as AqjbError & { retryAfterMs?: number }).retryAfterMs ?? 60_000 };
    case 'NETWORK':
    case 'TIMEOUT':
      return { kind: 'network' };
    default:
      return { kind: 'failed' };
  }
}

/** 「45 秒」 under a minute, else whole minutes, rounded up so the citizen never comes back too early. */
export function waitText(ms: number, t: Messages['lookup']): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return seconds < 60 ? t.waitSeconds(seconds) : t.waitMinutes(Math.ceil(seconds / 60));
}

/** The alert of a failed lookup or refresh; focused by the element once rendered (`data-lookup-error`). */
export function renderFailure(failure: Failure | undefined, t: Messages['lookup'], onRetry: () => void): TemplateResult | typeof nothing {
  if (!failure) return nothing;
  const text =
    failure.kind === 'not-found'
      ? t.notFound
      : failure.kind === 'rate-limited'
        ? t.rateLimited(waitText(failure.waitMs, t))
        : failure.kind === 'network'
          ? t.network
          : t.failed;
  const canRetry = failure.kind === 'network' || failure.kind === 'failed';
  return html`<div class="alert" part="lookup-error" tabindex="-1" data-lookup-error data-kind=${failure.kind}>
    <div role="alert">
      <p>${text}</p>
      ${failure.kind === 'not-found' ? html`<p>${withHotline(t.notFoundHelp)}</p>` : nothing}
    </div>
    ${canRetry ? html`<button type="button" class="secondary" part="retry-button" @click=${onRetry}>${t.retry}</button>` : nothing}
  </div>`;
}
