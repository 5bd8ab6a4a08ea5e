/**
 * Report codes are read over the phone and copied from paper, so the alphabet leaves out every character that is
 * easy to confuse (0/O, 1/I/L, U/V) and a check character (Luhn mod 30) catches any single wrong character and
 * most swaps of neighbours before a request is made. 11 random characters carry 53 bits; the code says nothing
 * about the reporter.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const N = CODE_ALPHABET.length;
export const REPORT_CODE_RANDOM_LENGTH = 11;
export const REPORT_CODE_LENGTH = REPORT_CODE_RANDOM_LENGTH + 1;

/** Luhn mod N check character over `body`. */
export function checkCharacter(body: string): string {
  let factor = 2;
  let sum = 0;
  for (let i = body.length - 1; i >= 0; i--) {
    const v = CODE_ALPHABET.indexOf(body[i]!);
    const p = factor * v;
    sum += Math.floor(p / N) + (p % N);
    factor = factor === 2 ? 1 : 2;
  }
  return CODE_ALPHABET[(N - (sum % N)) % N]!;
}

/** Unambiguous random string from the code alphabet (rejection sampling: no modulo bias). */
export function randomCodeString(length: number, random: (n: number) => Uint8Array = defaultRandom): string {
  let out = '';
  while (out.length < length) {
    for (const byte of random(length * 2)) {
      if (byte < 240 && out.length < length) out += CODE_ALPHABET[byte % N];
    }
  }
  return out;
}

const defaultRandom = (n: number) => globalThis.crypto.getRandomValues(new Uint8Array(n));

export function generateReportCode(random?: (n: number) => Uint8Array): string {
  const body = randomCodeString(REPORT_CODE_RANDOM_LENGTH, random);
  return body + checkCharacter(body);
}

/** Groups of four for display and print: `K7M9-QXRT-3HWP`. */
export const formatReportCode = (code: string) => code.replace(/(.{4})(?=.)/g, '$1-');

export type ReportCodeProblem =
  /** Nothing typed. */
  | 'empty'
  /** Too few or too many characters. */
  | 'length'
  /** A character that never appears in a code (e.g. O, 0, I, 1, L, U): probably misread. */
  | 'character'
  /** All characters valid but the check character does not match: one is probably mistyped or two swapped. */
  | 'checksum';

export type ParsedReportCode =
  | { ok: true; code: string; formatted: string }
  | { ok: false; problem: ReportCodeProblem; normalized: string; /** Characters that never occur in a code. */ invalid?: string[] };

/**
 * Normalises what a citizen typed (spaces, hyphens, lower case, full-width characters) and checks the check
 * character offline.
 */
export function parseReportCode(text: string): ParsedReportCode {
  const normalized = text
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-_.·—－]/g, '');
  if (!normalized) return { ok: false, problem: 'empty', normalized };
  const invalid = [...new Set([...normalized].filter((c) => !CODE_ALPHABET.includes(c)))];
  if (invalid.length) return { ok: false, problem: 'character', normalized, invalid };
  if (normalized.length !== REPORT_CODE_LENGTH) return { ok: false, problem: 'length', normalized };
  const body = normalized.slice(0, -1);
  if (checkCharacter(body) !== normalized.slice(-1)) return { ok: false, problem: 'checksum', normalized };
  return { ok: true, code: normalized, formatted: formatReportCode(normalized) };
}

/** Query keys: 18 characters of the same alphabet, 88 random bits; shown in groups of six. */
export const QUERY_KEY_LENGTH = 18;
export const generateQueryKey = (random?: (n: number) => Uint8Array) => randomCodeString(QUERY_KEY_LENGTH, random);
export const normalizeQueryKey = (text: string) =>
  text
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-_.·—－]/g, '');
