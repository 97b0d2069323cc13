import { describe, expect, it } from 'vitest';

import { checkSerialRange, parseSerialList } from './serial-range';

// ACX00000000018 .. ACX00000000026: sequences 1 and 2 with their Luhn check digits.
describe('checkSerialRange', () => {
  it('counts the cards of a range, both ends included', () => {
    expect(checkSerialRange('ACX00000000018', 'acx00000000026')).toEqual({
      ok: true,
      first: 'ACX00000000018',
      last: 'ACX00000000026',
      count: 2,
    });
    expect(checkSerialRange('ACX00000000018', 'ACX00000000018')).toMatchObject({ ok: true, count: 1 });
  });

  it('says why a range is none', () => {
    expect(checkSerialRange('ACX00000000018', 'ACX00000000027')).toEqual({ ok: false, code: 'incomplete' }); // check digit
    expect(checkSerialRange('ACX00000000018', undefined)).toEqual({ ok: false, code: 'incomplete' });
    expect(checkSerialRange('ACX00000000026', 'ACX00000000018')).toEqual({ ok: false, code: 'before_first' });
    expect(checkSerialRange('ACX00000000018', 'ACY00000000026')).toEqual({ ok: false, code: 'prefix_mismatch' });
  });
});

describe('parseSerialList', () => {
  it('splits at lines, commas and spaces, upper-cases and drops repeats', () => {
    expect(parseSerialList('acx00000000018\nACX00000000026, ACX00000000018，ACX00000000034、 \n')).toEqual([
      'ACX00000000018',
      'ACX00000000026',
      'ACX00000000034',
    ]);
    expect(parseSerialList('  ')).toEqual([]);
  });
});
