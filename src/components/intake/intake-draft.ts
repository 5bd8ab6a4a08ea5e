import type { IntakeStep } from './intake.events.js';

export const STEPS: readonly IntakeStep[] = ['notice', 'mode', 'region', 'form', 'review', 'receipt'];

/** What the intake itself keeps across a reload: no personal field, ever (the form keeps its own fields). */
export interface IntakeDraft {
  step: IntakeStep;
  mode?: 'anonymous' | 'real-name';
  region?: { code: string; path: { code: string; name: string }[] };
  ackToken?: string;
  ackExpiresAt?: string;
  /** The citizen's own 「大字模式」 choice, when they made one. */
  textSize?: 'normal' | 'large';
  /** One key per draft: every retry of this draft creates at most one report. */
  idempotencyKey: string;
}

const KEY = 'aqjb-embed:draft:intake';

export function loadIntakeDraft(storage: Storage | undefined): IntakeDraft | undefined {
  try {
    const value = JSON.parse(storage?.getItem(KEY) ?? 'null') as IntakeDraft | null;
    return value && typeof value.idempotencyKey === 'string' && typeof value.step === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

export function saveIntakeDraft(storage: Storage | undefined, draft: IntakeDraft | undefined): void {
  try {
    if (draft) storage?.setItem(KEY, JSON.stringify(draft));
    else storage?.removeItem(KEY);
  } catch {
    // Storage full or refused: the page still works, only a reload would lose the step.
  }
}
