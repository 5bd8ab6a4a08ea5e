import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CODE_ALPHABET, checkCharacter, generateReportCode, parseReportCode, formatReportCode } from '../../src/sdk/report-code.js';

const code = generateReportCode();

test('generated codes use only unambiguous characters and carry a valid check character', () => {
  for (let i = 0; i < 500; i++) {
    const c = generateReportCode();
    assert.match(c, /^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{12}$/);
    assert.ok(parseReportCode(c).ok);
  }
  for (const confusable of '01ILOU') assert.ok(!CODE_ALPHABET.includes(confusable));
});

test('what citizens type is forgiven: spaces, hyphens, lower case, full-width characters', () => {
  const fullWidth = [...code.toLowerCase()].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');
  const variants = [code, code.toLowerCase(), formatReportCode(code), ` ${code.slice(0, 4)} ${code.slice(4, 8)}  ${code.slice(8)} `, fullWidth, formatReportCode(code).replaceAll('-', '－')];
  for (const typed of variants) {
    const parsed = parseReportCode(typed);
    assert.ok(parsed.ok, `accepts ${JSON.stringify(typed)}`);
    assert.equal(parsed.ok && parsed.code, code);
  }
});

test('mistakes are caught offline and named', () => {
  const wrongChar = code.slice(0, 3) + CODE_ALPHABET[(CODE_ALPHABET.indexOf(code[3]!) + 1) % CODE_ALPHABET.length] + code.slice(4);
  const cases: [string, string][] = [
    ['', 'empty'],
    ['   ', 'empty'],
    [code.slice(0, 11), 'length'],
    [code + '2', 'length'],
    [code.slice(0, 5) + 'O' + code.slice(6), 'character'],
    [code.slice(0, 5) + '1' + code.slice(6), 'character'],
    [wrongChar, 'checksum'],
  ];
  for (const [typed, problem] of cases) {
    const parsed = parseReportCode(typed);
    assert.equal(parsed.ok, false, typed);
    assert.equal(!parsed.ok && parsed.problem, problem, typed);
  }
  const withO = parseReportCode(code.slice(0, 5) + 'O' + code.slice(6));
  assert.deepEqual(!withO.ok && withO.invalid, ['O']);
});

test('every single-character error and most neighbour swaps change the check character', () => {
  const body = code.slice(0, -1);
  let swapsCaught = 0;
  let swaps = 0;
  for (let i = 0; i < body.length; i++) {
    for (const c of CODE_ALPHABET) {
      if (c === body[i]) continue;
      const changed = body.slice(0, i) + c + body.slice(i + 1);
      assert.notEqual(checkCharacter(changed), checkCharacter(body));
    }
    if (i + 1 < body.length && body[i] !== body[i + 1]) {
      swaps++;
      const swapped = body.slice(0, i) + body[i + 1] + body[i] + body.slice(i + 2);
      if (checkCharacter(swapped) !== checkCharacter(body)) swapsCaught++;
    }
  }
  assert.ok(swapsCaught >= swaps - 1, `${swapsCaught}/${swaps} swaps caught`);
});

test('formatting groups a code in fours for print and reading aloud', () => {
  assert.equal(formatReportCode('ABCDEFGHJKMN'), 'ABCD-EFGH-JKMN');
});
