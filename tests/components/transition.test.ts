import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from '../support/wait.js';
import { sendKeys } from '@web/test-runner-commands';
import * as z from 'zod/mini';
import { ApiError, createClient, parseReportCode } from '../../src/sdk/index.js';
import {
  createTransitionClient,
  defineLegacyAdapter,
  openIndexedDbOutbox,
  registerLegacyAdapter,
  type TransitionClient,
} from '../../src/sdk/transition/index.js';
import { messagesFor } from '../../src/components/locales/localize.js';
import { AqjbProgressLookup } from '../../src/components/progress-lookup/progress-lookup.js';
import { AqjbIntake } from '../../src/components/intake/intake.js';
import { checkCharacter, generateReportCode } from '../../src/sdk/report-code.js';
import { ManualClock } from '../support/manual-clock.js';
import { advanceServer, fillIntake, visibleStep, within } from '../support/intake-driver.js';

// Keeps the registration modules in the bundle (a bare import may be dropped as side-effect free).
expect(customElements.get('aqjb-progress-lookup')).to.equal(AqjbProgressLookup);
expect(customElements.get('aqjb-intake')).to.equal(AqjbIntake);

const api = (window as unknown as { __AQJB__: { api: string } }).__AQJB__.api;
const t = messagesFor('zh-CN').lookup;
// Nothing listens there: the fake adapter below never uses the HTTP helper it is given.
const LEGACY_BASE = 'http://127.0.0.1:9/';

const LEGACY_CODE = 'HN20260302000001';
const LEGACY_KEY = '482913';

/**
 * A stand-in for a provincial legacy system (the browser harness starts no servers but ours): plain functions in
 * the page. It knows one report, in its own words, and keeps every copy dual mode sends it, deduplicated on the
 * idempotency key as the adapter contract asks.
 */
function fakeLegacy(name: string) {
  const copies = new Map<string, { guojia: string; neirong: string }>();
  const adapter = defineLegacyAdapter({
    name,
    codePattern: /^HN\d{14}$/,
    schemas: {
      submission: z.object({ guojia: z.string(), neirong: z.string() }),
      receipt: z.object({ bianhao: z.string() }),
      progress: z.object({ zhuangtai: z.enum(['待受理', '已受理']), danwei: z.string(), dengji: z.string(), shouli: z.optional(z.string()) }),
    },
    toLegacy: (r) => ({ guojia: r.nationalCode ?? '', neirong: r.content.description }),
    async send(_http, submission, { idempotencyKey }) {
      if (!copies.has(idempotencyKey)) copies.set(idempotencyKey, submission);
      return { bianhao: `HN20260302${String(copies.size).padStart(6, '0')}` };
    },
    fromReceipt: (r, report) => ({
      reportCode: r.bianhao,
      queryKey: '000000',
      submittedAt: report.submittedAt,
      routedTo: { regionCode: report.content.regionCode, orgName: '某应急管理局' },
      acceptBy: '2026-03-05',
    }),
    async lookup(_http, code, queryKey) {
      if (code !== LEGACY_CODE || queryKey !== LEGACY_KEY) return { zhuangtai: '待受理', danwei: '', dengji: '' };
      return { zhuangtai: '已受理', danwei: '郑州市金水区应急管理局', dengji: '2026-03-02T01:00:00.000Z', shouli: '2026-03-03T02:00:00.000Z' };
    },
    fromProgress: (p, code) => ({
      reportCode: code,
      status: p.zhuangtai === '已受理' ? 'accepted' : 'submitted',
      handledBy: { regionCode: '410105', orgName: p.danwei },
      events: [
        { type: 'submitted', at: p.dengji, org: p.danwei, channel: 'legacy' },
        ...(p.shouli ? [{ type: 'accepted' as const, at: p.shouli, org: p.danwei }] : []),
      ],
      deadlines: [],
    }),
  });
  return { adapter, copies };
}

// ---- the elements, as a citizen uses them ------------------------------------------------------------------------

const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

async function typeInto(input: HTMLInputElement, value: string) {
  input.focus();
  input.select();
  await sendKeys({ type: value });
}

/** Types code and key into a lookup and presses Enter; resolves once the result is shown. */
async function lookUp(el: AqjbProgressLookup, code: string, key: string) {
  const loaded = oneEvent(el, 'aqjb-progress-loaded');
  await typeInto(within(el, '#reportCode') as HTMLInputElement, code);
  await typeInto(within(el, '#queryKey') as HTMLInputElement, key);
  await sendKeys({ press: 'Enter' });
  const event = await loaded;
  await el.updateComplete;
  return event;
}

function expectLegacyResult(el: AqjbProgressLookup) {
  expect(text(within(el, '[part~="report-code"]'))).to.equal(LEGACY_CODE, 'the legacy code as issued, not regrouped');
  expect(text(within(el, '[data-status-value]'))).to.equal(t.status.accepted);
  expect(text(within(el, '.handled-by'))).to.equal(`${t.handledBy} 郑州市金水区应急管理局`);
}

describe('two-year transition in the elements', () => {
  const outboxName = `aqjb-transition-elements-${crypto.randomUUID()}`;
  // Lookups are limited per client address and minute; each test starts in a fresh minute of server time.
  beforeEach(async () => {
    sessionStorage.clear();
    await advanceServer(60_000);
  });
  after(
    () =>
      new Promise((resolve) => {
        const r = indexedDB.deleteDatabase(outboxName);
        r.onsuccess = r.onerror = r.onblocked = () => resolve(undefined);
      }),
  );

  it('<aqjb-progress-lookup> with a transition client finds a legacy code in the legacy system and shows its status in ours', async () => {
    const legacy = fakeLegacy('fake-henan-property');
    const client = createTransitionClient({
      national: { baseUrl: api, retry: 0 },
      legacy: { adapter: legacy.adapter, baseUrl: LEGACY_BASE },
      mode: 'national',
    });
    const el = await fixture<AqjbProgressLookup>(html`<aqjb-progress-lookup .client=${client}></aqjb-progress-lookup>`);
    // Lower case with spaces, as a citizen copies it from an old receipt: the adapter's pattern accepts it.
    const event = await lookUp(el, 'hn 2026 0302 000001', LEGACY_KEY);
    expect(event.detail).to.deep.equal({ reportCode: LEGACY_CODE, status: 'accepted' });
    expect(within(el, '#reportCode-error')).to.equal(null);
    expectLegacyResult(el);
    await expect(el).to.be.accessible();
  });

  it('<aqjb-progress-lookup> configured by attributes alone loads the transition client and looks legacy codes up there', async () => {
    const legacy = fakeLegacy('fake-henan-attributes');
    registerLegacyAdapter(legacy.adapter);
    const el = await fixture<AqjbProgressLookup>(html`<aqjb-progress-lookup
      api-base=${api}
      legacy-base=${LEGACY_BASE}
      transition-mode="national"
      legacy-adapter="fake-henan-attributes"
    ></aqjb-progress-lookup>`);
    const client = (await el.sdkReady) as TransitionClient;
    expect(client.mode).to.equal('national');
    expect(el.sdk).to.equal(client, 'the transition client itself once loaded');
    await lookUp(el, LEGACY_CODE, LEGACY_KEY);
    expectLegacyResult(el);
  });

  it('elements configured alike share one transition client, so dual mode has one outbox per page', async () => {
    const legacy = fakeLegacy('fake-henan-shared');
    registerLegacyAdapter(legacy.adapter);
    const attrs = (tag: 'lookup' | 'intake') =>
      tag === 'lookup'
        ? html`<aqjb-progress-lookup api-base=${api} legacy-base=${LEGACY_BASE} transition-mode="dual" legacy-adapter="fake-henan-shared"></aqjb-progress-lookup>`
        : html`<aqjb-intake api-base=${api} legacy-base=${LEGACY_BASE} transition-mode="dual" legacy-adapter="fake-henan-shared"></aqjb-intake>`;
    const lookup = await fixture<AqjbProgressLookup>(attrs('lookup'));
    const intake = await fixture<AqjbIntake>(attrs('intake'));
    const [a, b] = (await Promise.all([lookup.sdkReady, intake.sdkReady])) as TransitionClient[];
    expect(a).to.equal(b);
    expect(a!.mode).to.equal('dual');
    expect(a!.outbox).to.not.equal(undefined);
  });

  it('an adapter name nobody registered fails the lookup instead of silently asking only the national system', async () => {
    const el = await fixture<AqjbProgressLookup>(html`<aqjb-progress-lookup
      api-base=${api}
      legacy-base=${LEGACY_BASE}
      transition-mode="dual"
      legacy-adapter="nobody-registered-this"
    ></aqjb-progress-lookup>`);
    let error: unknown;
    await el.sdkReady.catch((e: unknown) => (error = e));
    expect((error as { code?: string } | undefined)?.code).to.equal('LEGACY_ADAPTER_MISSING');
    // A well-formed national code: the element must not fall back to the national client on its own.
    const body = generateReportCode().slice(0, -1);
    await typeInto(within(el, '#reportCode') as HTMLInputElement, body + checkCharacter(body));
    await typeInto(within(el, '#queryKey') as HTMLInputElement, 'ABCDEFGHJKMNPQRSTV');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => within(el, '[data-lookup-error]'), 'the lookup fails visibly');
    expect(within(el, '[part~="result"]')).to.equal(null);
  });

  it('<aqjb-intake> with a dual-mode client files nationally, and the outbox delivers one copy to the legacy system', async () => {
    const legacy = fakeLegacy('fake-henan-dual');
    const client = createTransitionClient({
      national: { baseUrl: api, retry: 0 },
      legacy: { adapter: legacy.adapter, baseUrl: LEGACY_BASE },
      mode: 'dual',
      outbox: openIndexedDbOutbox({ name: outboxName }),
    });
    const clock = new ManualClock(Date.now());
    const el = await fixture<AqjbIntake>(html`<aqjb-intake .client=${client} province="410000" .clock=${clock}></aqjb-intake>`);
    await fillIntake(el, clock);

    const submitted = oneEvent(el, 'aqjb-submitted');
    within(el, '[part~="submit-button"]')!.click();
    const { detail } = await submitted;
    await waitUntil(() => visibleStep(el) === 'receipt', 'receipt step');
    // The citizen's code is the national one, and the national system has the report.
    expect(parseReportCode(detail.reportCode).ok).to.equal(true);
    const key = within(el, '[part~="query-key"]')!.textContent!;
    try {
      expect((await createClient({ baseUrl: api, retry: 0 }).getProgress(detail.reportCode, key)).status).to.equal('submitted');
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'RATE_LIMITED')) throw error;
    }

    // The operators' view: the copy went through the outbox, keyed by the national code, exactly once.
    await client.outbox!.flush();
    await waitUntil(async () => (await client.outbox!.status()).counts.delivered === 1, 'copy delivered');
    expect((await client.outbox!.status()).counts).to.deep.equal({ pending: 0, delivered: 1, failed: 0 });
    expect((await client.outbox!.get(detail.reportCode))?.state).to.equal('delivered');
    expect([...legacy.copies.keys()]).to.deep.equal([detail.reportCode]);
    expect(legacy.copies.get(detail.reportCode)).to.deep.equal({ guojia: detail.reportCode, neirong: '储罐区可燃气体报警器长期损坏，夜间有人在罐区吸烟。' });
    client.close();
  });
});
