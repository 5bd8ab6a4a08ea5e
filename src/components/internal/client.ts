import type { PropertyDeclarations, ReactiveController } from 'lit';
import { createClient, type AqjbClient } from '../../sdk/client.js';
import { AqjbError } from '../../sdk/errors.js';
import type { TransitionClient, TransitionMode } from '../../sdk/transition/index.js';
import { AqjbElement } from './aqjb-element.js';
import { prefetchingFetch } from './prefetch.js';

const clients = new Map<string, AqjbClient>();

/** One client per base URL, shared by every element on the page. */
export function clientFor(apiBase: string): AqjbClient {
  let client = clients.get(apiBase);
  if (!client) {
    client = createClient({ baseUrl: apiBase, fetch: prefetchingFetch });
    clients.set(apiBase, client);
  }
  return client;
}

interface TransitionConfig {
  apiBase: string;
  legacyBase: string;
  mode: TransitionMode;
  adapter: string;
}

interface TransitionSlot {
  ready: Promise<TransitionClient>;
  /** Set once `ready` resolves: from then on elements use the transition client itself. */
  client?: TransitionClient;
  /** Stands in while the transition module loads (see `deferredClient`). */
  deferred: AqjbClient;
}

// One transition client per configuration, shared by every element on the page: dual mode has one outbox per page,
// so the intake and a lookup on the same page must not each open their own.
const transitions = new Map<string, TransitionSlot>();

/**
 * The client's methods while the transition module loads. The three that the mode routes wait for the transition
 * client, so nothing goes to the national system alone by accident; the rest (notice, regions, dictionaries, SMS,
 * uploads) are national in every mode and go straight there. `legacyCodeOf` answers once the module is in.
 */
function deferredClient(national: AqjbClient, slot: TransitionSlot): AqjbClient {
  return {
    ...national,
    submitReport: (...args) => slot.ready.then((c) => c.submitReport(...args)),
    getProgress: (...args) => slot.ready.then((c) => c.getProgress(...args)),
    addSupplement: (...args) => slot.ready.then((c) => c.addSupplement(...args)),
    legacyCodeOf: (text: string) => slot.client?.legacyCodeOf(text),
  } as AqjbClient;
}

function transitionFor(config: TransitionConfig): TransitionSlot {
  const key = JSON.stringify([config.apiBase, config.legacyBase, config.mode, config.adapter]);
  const known = transitions.get(key);
  if (known) return known;
  const national = clientFor(config.apiBase);
  const slot = {} as TransitionSlot;
  // Lazily: portals that never bridge a legacy system do not download the transition code.
  slot.ready = import('../../sdk/transition/index.js').then((t) => {
    const adapter = t.getLegacyAdapter(config.adapter || undefined);
    if (config.legacyBase && !adapter) {
      throw new AqjbError('LEGACY_ADAPTER_MISSING', `未注册旧系统适配器${config.adapter ? `「${config.adapter}」` : ''}（registerLegacyAdapter）`);
    }
    slot.client = t.createTransitionClient({
      national,
      ...(adapter && config.legacyBase ? { legacy: { adapter, baseUrl: config.legacyBase } } : {}),
      mode: config.mode,
    });
    return slot.client;
  });
  slot.deferred = deferredClient(national, slot);
  transitions.set(key, slot);
  // A failed setup (an adapter registered later, a bad mode) is tried again on the next use.
  slot.ready.catch(() => transitions.delete(key));
  return slot;
}

/** Starts loading the transition client when its attributes change, and renders again once it is in. */
class TransitionLoader implements ReactiveController {
  #key = '';
  constructor(private host: AqjbApiElement) {
    host.addController(this);
  }
  hostUpdate(): void {
    const config = this.host.transitionConfig;
    const key = config ? JSON.stringify(config) : '';
    if (key === this.#key) return;
    this.#key = key;
    if (!config || this.host.client) return;
    const slot = transitionFor(config);
    if (slot.client) return;
    // A legacy code typed before the module arrived is recognised on the next render.
    slot.ready.then(
      () => this.host.requestUpdate(),
      () => {},
    );
  }
}

/**
 * An element that talks to the reporting API: `api-base` (with `legacy-base`, `transition-mode` and
 * `legacy-adapter` during the two-year transition), or a `client` property (`<aqjb-intake>` gives its own to the
 * elements it shows).
 */
export class AqjbApiElement extends AqjbElement {
  static override properties: PropertyDeclarations = {
    apiBase: { attribute: 'api-base' },
    legacyBase: { attribute: 'legacy-base' },
    transitionMode: { attribute: 'transition-mode' },
    legacyAdapter: { attribute: 'legacy-adapter' },
  };
  static {
    this.createProperty('client', { attribute: false });
  }

  /** Base URL of the reporting API, e.g. `https://api.example.gov.cn/aqjb/`. */
  apiBase = '';

  /** An SDK client to use instead of `api-base` (e.g. a transition client). */
  client: AqjbClient | undefined = undefined;

  /**
   * Two-year transition: base URL of the province's legacy reporting system, e.g. `https://jb.example.gov.cn/`.
   * Needs an adapter registered with `registerLegacyAdapter` (see `legacy-adapter`).
   */
  legacyBase = '';

  /**
   * Two-year transition: `national` (the national system only; legacy codes can still be looked up), `dual` (national
   * first, a copy to the legacy system through the browser's outbox) or `legacy` (reports go to the legacy system).
   * Empty: no transition, unless `legacy-base` is set (then `national`).
   */
  transitionMode: TransitionMode | '' = '';

  /** Two-year transition: name of the legacy adapter registered with `registerLegacyAdapter`; empty: the only one registered. */
  legacyAdapter = '';

  constructor() {
    super();
    new TransitionLoader(this);
  }

  /** @internal The transition configuration from the attributes, or undefined when there is none. */
  get transitionConfig(): TransitionConfig | undefined {
    if (!this.transitionMode && !this.legacyBase && !this.legacyAdapter) return undefined;
    if (!this.apiBase) return undefined;
    return { apiBase: this.apiBase, legacyBase: this.legacyBase, mode: this.transitionMode || 'national', adapter: this.legacyAdapter };
  }

  /**
   * The client in use; throws when none is configured. With the transition attributes, a stand-in whose report,
   * progress and supplement calls wait for the transition client until it has loaded, then the client itself.
   */
  get sdk(): AqjbClient {
    const client = this.client ?? this.#attributeClient();
    if (!client) throw new Error(`<${this.localName}> needs an api-base attribute or a client property`);
    return client;
  }

  /** @internal The client in use once everything it needs has loaded (the transition module, with its attributes). */
  get sdkReady(): Promise<AqjbClient> {
    if (this.client) return Promise.resolve(this.sdk);
    const config = this.transitionConfig;
    if (config) return transitionFor(config).ready;
    return new Promise((resolve) => resolve(this.sdk));
  }

  #attributeClient(): AqjbClient | undefined {
    if (!this.apiBase) return undefined;
    const config = this.transitionConfig;
    if (!config) return clientFor(this.apiBase);
    const slot = transitionFor(config);
    return slot.client ?? slot.deferred;
  }
}
