import { html } from 'lit';
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
  return html`<div part="receipt" class="receipt">
    <p>${r.intro}</p>
    <dl class="receipt-codes">
      <div>
        <dt>${r.code}</dt>
        <dd><span part="report-code" class="code" translate="no">${code}</span>
          <button type="button" class="secondary copy" @click=${() => copy(receipt.reportCode, r.code, t, announce)}>
            ${t.common.copy}<span class="visually-hidden">${r.code}</span>
          </button></dd>
      </div>
      <div>
        <dt>${r.key}</dt>
        <dd><span part="query-key" class="code" translate="no">${key}</span>
          <button type="button" class="secondary copy" @click=${() => copy(receipt.queryKey, r.key, t, announce)}>
            ${t.common.copy}<span class="visually-hidden">${r.key}</span>
          </button></dd>
      </div>
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
