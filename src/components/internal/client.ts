import { createContext, consume } from '@lit/context';
import { property, state } from 'lit/decorators.js';
import { createClient, type AqjbClient } from '../../sdk/index.js';
import { AqjbElement } from './aqjb-element.js';

/** `<aqjb-intake>` provides its client to the elements inside it. */
export const clientContext = createContext<AqjbClient | undefined>(Symbol.for('aqjb-embed/client'));

const clients = new Map<string, AqjbClient>();

/** One client per base URL, shared by every element on the page. */
export function clientFor(apiBase: string): AqjbClient {
  let client = clients.get(apiBase);
  if (!client) {
    client = createClient({ baseUrl: apiBase });
    clients.set(apiBase, client);
  }
  return client;
}

/** An element that talks to the reporting API: `api-base`, or a `client` property, or its intake's client. */
export class AqjbApiElement extends AqjbElement {
  /** Base URL of the reporting API, e.g. `https://api.example.gov.cn/aqjb/`. */
  @property({ attribute: 'api-base' }) accessor apiBase = '';

  /** An SDK client to use instead of `api-base` (e.g. a transition client). */
  @property({ attribute: false }) accessor client: AqjbClient | undefined = undefined;

  /** @internal */
  @consume({ context: clientContext, subscribe: true })
  @state()
  accessor contextClient: AqjbClient | undefined = undefined;

  /** The client in use; throws when none is configured. */
  get sdk(): AqjbClient {
    const client = this.client ?? this.contextClient ?? (this.apiBase ? clientFor(this.apiBase) : undefined);
    if (!client) throw new Error(`<${this.localName}> needs an api-base attribute or a client property`);
    return client;
  }
}
