/**
 * The report form's 「您的信息」 section (real-name mode only): name, mobile with the 「获取验证码」 button, the SMS
 * code, ID number and consent; and the sentence for each way a code request can fail. The flow itself is the
 * SmsCooldown controller's. Loaded on its own (./load-reporter.ts) with its texts: an anonymous report never needs it.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ApiError, NetworkError, ValidationError } from '../../sdk/errors.js';
import type { SmsCooldown } from '../controllers/sms-cooldown.js';
import { registerMessages, type Messages } from '../locales/localize.js';
import zhReporter from '../locales/zh-CN/reporter.js';
import { describe, errorOf, invalid, textField, type FormView } from './fields.js';

export { SmsCooldown } from '../controllers/sms-cooldown.js';

registerMessages('reporter', zhReporter);

/** What to say at the phone field when no code was sent: what to do next. */
export function smsErrorText(t: Messages, error: unknown): string {
  const f = t.reporter;
  if (error instanceof ValidationError && error.fields.some((x) => x.path === 'phone')) {
    // Checked by the SDK before sending: the phone is not a mainland mobile number.
    return t.errors['reporter.phone.invalid'];
  }
  // The only other field is the notice token: none yet, or the server no longer takes it.
  if (error instanceof ValidationError || (error instanceof ApiError && error.code === 'NOTICE_ACK_INVALID')) return f.smsNoticeExpired;
  if (error instanceof NetworkError) return f.smsNetwork;
  if (error instanceof ApiError && error.code === 'RATE_LIMITED') return f.smsTooSoon;
  if (error instanceof ApiError && error.code === 'UNAVAILABLE') return f.smsUnavailable;
  return f.smsFailed;
}

export function renderReporter(v: FormView, sms: SmsCooldown, onSms: () => void): TemplateResult {
  const t = v.t.reporter;
  return html`<section part="section" aria-labelledby="reporter-heading">
    <h3 id="reporter-heading">${t.reporterHeading}</h3>
    <p class="hint">${t.reporterIntro}</p>
    ${textField(v, 'reporter.name', t.reporterName, { autocomplete: 'name' })}
    ${textField(v, 'reporter.phone', t.reporterPhone, {
      hint: t.reporterPhoneHint,
      type: 'tel',
      autocomplete: 'tel',
      inputmode: 'tel',
      after: renderSmsButton(t, sms, onSms),
    })}
    ${textField(v, 'reporter.smsCode', t.smsCode, {
      hint: sms.sent ? t.smsSent : t.smsCodeHint,
      inputmode: 'numeric',
      autocomplete: 'one-time-code',
    })}
    ${textField(v, 'reporter.idNumber', t.idNumber, { hint: t.idNumberHint, optional: true, autocomplete: 'off' })}
    ${renderConsent(v)}
  </section>`;
}

function renderSmsButton(t: Messages['reporter'], sms: SmsCooldown, onSms: () => void) {
  const seconds = sms.remainingSeconds;
  const label = sms.sending
    ? t.smsSending
    : seconds > 120
      ? t.smsWaitMinutes(Math.ceil(seconds / 60))
      : seconds > 0
        ? t.smsWaitSeconds(seconds)
        : t.smsSend;
  // Focusable while waiting (aria-disabled, not disabled), so keyboard and screen-reader users can find it.
  return html`<button
    part="sms-button"
    type="button"
    class="secondary sms"
    aria-disabled=${sms.sending || seconds > 0 ? 'true' : 'false'}
    @click=${onSms}
  >
    ${label}
  </button>`;
}

function renderConsent(v: FormView) {
  const field = 'consent';
  return html`<div class="field">
    ${errorOf(v, field)}
    <div class="choice consent">
      <input
        type="checkbox"
        id=${field}
        name=${field}
        data-field=${field}
        .checked=${v.values.consent}
        aria-invalid=${invalid(v, field)}
        aria-describedby=${describe(v, field) || nothing}
      />
      <label for=${field}>${v.t.reporter.consent}</label>
    </div>
  </div>`;
}
