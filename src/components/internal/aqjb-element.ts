import { LitElement, type PropertyDeclarations } from 'lit';
import { hasLocale, loadLocale, messagesFor, resolveLocale, type Locale, type Messages } from '../locales/localize.js';

/** Events our elements fire: every `aqjb-*` entry of GlobalEventHandlersEventMap (declared in `*.events.ts`). */
export type AqjbEventName = Extract<keyof GlobalEventHandlersEventMap, `aqjb-${string}`>;
export type AqjbEventDetail<K extends AqjbEventName> = GlobalEventHandlersEventMap[K] extends CustomEvent<infer D> ? D : never;

/**
 * Base of every element: typed events, the locale, and the elderly-friendly text size. Elements stay thin: they
 * render, wire controllers and call the SDK.
 */
export class AqjbElement extends LitElement {
  // The elements of the first screen (this base, the API base, the notice gate, the intake) declare their reactive
  // properties without decorators: the decorators' compiled form costs about 300 bytes a property, which the first
  // screen's 25 KB budget cannot spare. Attributes go in `static properties`; properties without an attribute and
  // internal state are created in a static block, so the manifest lists them as the plain properties they are.
  // The elements loaded later do the same, since a citizen downloads them during a report too: none uses decorators.
  static override properties: PropertyDeclarations = {
    locale: { reflect: true },
    textSize: { attribute: 'text-size', reflect: true },
  };

  /** UI language: `zh-CN` (default) or `en`; when empty, the nearest `lang` attribute decides. */
  locale = '';

  /** `large` enlarges text and targets for older citizens (适老化). */
  textSize: 'normal' | 'large' = 'normal';

  /** @internal Resolved locale of this element. */
  get lang_(): Locale {
    return resolveLocale(this, this.locale);
  }

  /** @internal Messages of the resolved locale. */
  get t(): Messages {
    const locale = this.lang_;
    // Another language loads on first use; the element renders again when its texts are in.
    if (!hasLocale(locale)) void loadLocale(locale).then(() => this.requestUpdate());
    return messagesFor(locale);
  }

  /** @internal Fires a declared `aqjb-*` event that bubbles out of shadow roots. Only declared names and details compile. */
  emit<K extends AqjbEventName>(name: K, detail: AqjbEventDetail<K>, options: { cancelable?: boolean } = {}): boolean {
    return this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable: options.cancelable ?? false }));
  }
}

/**
 * Registers an element once. The same class again is a no-op; another copy (a second script tag or bundle) keeps
 * the first definition and warns, instead of throwing and breaking the host page.
 */
export function defineElement(tag: string, ctor: CustomElementConstructor): void {
  const existing = customElements.get(tag);
  if (!existing) customElements.define(tag, ctor);
  else if (existing !== ctor) console.warn(`<${tag}> is already defined by another copy of aqjb-embed; keeping the first.`);
}
