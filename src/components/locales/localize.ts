import { zhCN } from './zh-CN.js';
import { loadOnce } from '../../sdk/load-once.js';
import type zhForm from './zh-CN/form.js';
import type zhReporter from './zh-CN/reporter.js';
import type zhUpload from './zh-CN/upload.js';
import type zhLookup from './zh-CN/lookup.js';
import type zhPicker from './zh-CN/picker.js';
import type zhMode from './zh-CN/mode.js';
import type zhRegion from './zh-CN/region.js';
import type zhReview from './zh-CN/review.js';
import type zhReceipt from './zh-CN/receipt.js';
import type { apiErrorMessages, errorMessages } from '../../messages/zh-CN.js';

export type Locale = 'zh-CN' | 'en';
/** Texts of the first screen: the notice gate inside the intake. */
export type CoreMessages = typeof zhCN;
/** Texts an element module brings along when it loads. */
export interface LazySections {
  form: typeof zhForm;
  /** The report form's 「您的信息」 (real-name) section, loaded with it. */
  reporter: typeof zhReporter;
  upload: typeof zhUpload;
  lookup: typeof zhLookup;
  picker: typeof zhPicker;
  mode: typeof zhMode;
  region: typeof zhRegion;
  review: typeof zhReview;
  receipt: typeof zhReceipt;
  /** Validation keys → text (shared with the server). */
  errors: typeof errorMessages;
  /**
   * API error codes → text, for English only. In zh-CN an error body's `message` is the contract's zh-CN text for
   * its code (`src/messages/zh-CN.ts`, which the server answers with), so the zh-CN page shows that and does not
   * download the table again.
   */
  api?: typeof apiErrorMessages;
}
export type Messages = CoreMessages & LazySections;

const catalogs: Partial<Record<Locale, Partial<Messages>>> = { 'zh-CN': { ...zhCN } };
/** English is loaded when first shown; a failed load is tried again next time. */
const loadEn = loadOnce(() =>
  import('./en.js').then(({ en }) => {
    catalogs.en = en;
  }),
);

/**
 * Adds an element's zh-CN texts. Called at the top of the element's module, so its texts exist before it renders;
 * a page that never shows the element never downloads them. English comes whole with `loadLocale('en')`.
 */
export function registerMessages<K extends keyof LazySections>(section: K, texts: LazySections[K]): void {
  catalogs['zh-CN']![section] = texts;
}

/** Whether a locale's texts are loaded (zh-CN always is). */
export const hasLocale = (locale: Locale): boolean => catalogs[locale] !== undefined;

/** Loads a locale's texts; no English text is part of a zh-CN page. */
export function loadLocale(locale: Locale): Promise<void> {
  if (hasLocale(locale)) return Promise.resolve();
  return loadEn();
}

/** The element's `locale`, else the nearest `lang` (also across shadow roots), else zh-CN. */
export function resolveLocale(element: Element, explicit = ''): Locale {
  let lang = explicit;
  for (let node: Node | null = element; !lang && node; ) {
    if (node instanceof Element) lang = node.getAttribute('lang') ?? '';
    node = node instanceof ShadowRoot ? node.host : node.parentNode;
  }
  return lang.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

/** The texts of a locale; zh-CN until another locale has loaded (see `loadLocale`). */
export const messagesFor = (locale: Locale): Messages => (catalogs[locale] ?? catalogs['zh-CN']) as Messages;
