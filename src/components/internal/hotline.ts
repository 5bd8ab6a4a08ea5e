import { html, type TemplateResult } from 'lit';

const HOTLINE = '12350';

/** A text with the work-safety hotline in it as a link a phone can call (`tel:`); the rest stays text. */
export function withHotline(text: string): TemplateResult | string {
  const [before, ...after] = text.split(HOTLINE);
  return after.length ? html`${before}${after.map((rest) => html`<a href="tel:${HOTLINE}">${HOTLINE}</a>${rest}`)}` : text;
}
