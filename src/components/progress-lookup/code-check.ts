import type { ParsedReportCode } from '../../sdk/index.js';
import type { Messages } from '../locales/localize.js';

type Failed = Extract<ParsedReportCode, { ok: false }>;

/**
 * What is most likely wrong with a typed report code, in words a citizen copying from paper can act on. The SDK
 * decides whether the code is valid; this only picks the sentence.
 */
export function codeProblemText(parsed: Failed, t: Messages['lookup']): string {
  switch (parsed.problem) {
    case 'empty':
      return t.code.empty;
    case 'length':
      return t.code.length([...parsed.normalized].length);
    case 'checksum':
      return t.code.checksum;
    case 'character': {
      const invalid = parsed.invalid ?? [];
      // Characters left out of the alphabet because they are easily confused: name the pair the reader mixed up.
      if (invalid.some((c) => c === 'O' || c === '0')) return t.code.zero;
      if (invalid.some((c) => c === 'I' || c === 'L' || c === '1')) return t.code.one;
      if (invalid.includes('U')) return t.code.u;
      return t.code.other(invalid.join(''));
    }
  }
}

/**
 * Whether to show the code's problem while the citizen is still typing: a character that never occurs in a code,
 * or a complete code whose check character fails, is certain at once; a code that is not finished yet (or empty)
 * waits until they leave the field or submit.
 */
export const showWhileTyping = (parsed: Failed): boolean => parsed.problem === 'character' || parsed.problem === 'checksum';
