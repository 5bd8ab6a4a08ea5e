/**
 * The citizen chose 「继续」 and every field is valid. The detail is empty on purpose: the host page and its
 * analytics see it; the intake reads `form.draft` instead.
 */
export type AqjbFormCompleteEvent = CustomEvent<Record<string, never>>;

declare global {
  interface GlobalEventHandlersEventMap {
    'aqjb-form-complete': AqjbFormCompleteEvent;
  }
}
