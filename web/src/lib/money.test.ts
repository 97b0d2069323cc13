import { describe, expect, it } from 'vitest';

import { fenToYuanInput, parseYuan } from './money';

describe('parseYuan', () => {
  it.each([
    ['99', 9900],
    ['99.5', 9950],
    ['99.05', 9905],
    ['0.01', 1],
    ['1,234.50', 123450],
    ['¥297.00', 29700],
    ['297 元', 29700],
    [' 0.10 ', 10],
    ['10000000000', 1_000_000_000_000],
  ])('%s yuan is %d fen', (text, fen) => {
    expect(parseYuan(text)).toEqual({ ok: true, value: fen });
  });

  it.each([
    ['', 'required'],
    ['  ', 'required'],
    ['99.123', 'invalid_format'],
    ['-5', 'invalid_format'],
    ['1e3', 'invalid_format'],
    ['abc', 'invalid_format'],
    ['.5', 'invalid_format'],
    ['0', 'out_of_range'],
    ['0.00', 'out_of_range'],
    ['10000000000.01', 'out_of_range'],
  ])('%j is refused: %s', (text, code) => {
    expect(parseYuan(text)).toEqual({ ok: false, code });
  });

  it('never loses a fen to floating point', () => {
    for (let fen = 1; fen < 2000; fen += 7) expect(parseYuan(fenToYuanInput(fen))).toEqual({ ok: true, value: fen });
    expect(parseYuan('0.29')).toEqual({ ok: true, value: 29 }); // 0.29 * 100 is 28.999... in floats
  });
});

describe('fenToYuanInput', () => {
  it('writes two decimals', () => {
    expect([fenToYuanInput(9900), fenToYuanInput(5), fenToYuanInput(-123450)]).toEqual(['99.00', '0.05', '-1234.50']);
    expect(() => fenToYuanInput(1.5)).toThrow(TypeError);
  });
});
