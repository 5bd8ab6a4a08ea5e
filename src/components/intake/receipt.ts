import { html, nothing } from 'lit';
import { formatReportCode, parseReportCode } from '../../sdk/report-code.js';
import type { ReportReceipt } from '../../sdk/schemas/report.js';
import type { Messages } from '../locales/localize.js';

interface ReceiptInput {
  t: Messages;
  receipt: ReportReceipt;
  acceptBy: string;
  announce: (text: string) => void;
  another: () => void;
  lookup: () => void;
}

/** The clipboard API exists only in a secure context (a portal on plain http has none): no button that cannot work. */
const canCopy = () => typeof navigator.clipboard?.writeText === 'function';

async function copy(text: string, what: string, t: Messages, announce: (text: string) => void) {
  try {
    await navigator.clipboard.writeText(text);
    announce(t.common.copied(what));
  } catch {
    announce(t.common.copyFailed);
  }
}

/**
 * The receipt: report code and query key large and copyable, the bureau it went to, the acceptance deadline, and a
 * print view (the print stylesheet shows only this).
 */
export function renderReceipt({ t, receipt, acceptBy, announce, another, lookup }: ReceiptInput) {
  const r = t.receipt;
  // A legacy system's code (transition mode `legacy`) is shown as issued; ours in groups of four.
  const code = parseReportCode(receipt.reportCode).ok ? formatReportCode(receipt.reportCode) : receipt.reportCode;
  const key = receipt.queryKey.replace(/(.{6})(?=.)/g, '$1-');
  // Shown grouped for reading, copied as issued; the button's name says what it copies.
  const copyable = (part: string, label: string, shown: string, value: string) => html`<div>
    <dt>${label}</dt>
    <dd><span part=${part} class="code" translate="no">${shown}</span>
      ${canCopy()
        ? html`<button type="button" class="secondary copy" @click=${() => copy(value, label, t, announce)}>
            ${t.common.copy}<span class="visually-hidden">${label}</span>
          </button>`
        : nothing}</dd>
  </div>`;
  return html`<div part="receipt" class="receipt">
    <p>${r.intro}</p>
    <dl class="receipt-codes">
      ${copyable('report-code', r.code, code, receipt.reportCode)}
      ${copyable('query-key', r.key, key, receipt.queryKey)}
      <div><dt>${r.routedTo}</dt><dd>${receipt.routedTo.orgName}</dd></div>
      <div><dt>${r.acceptBy}</dt><dd>${r.acceptByText(acceptBy)}</dd></div>
    </dl>
    <p class="hint">${r.keepSafe}</p>
    <div class="actions no-print">
      <button type="button" @click=${lookup}>${r.lookup}</button>
      <button type="button" class="secondary" @click=${() => window.print()}>${r.print}</button>
      <button type="button" class="secondary" @click=${another}>${r.another}</button>
    </div>
  </div>`;
}
