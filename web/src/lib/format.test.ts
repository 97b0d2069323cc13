import { describe, expect, it } from 'vitest';

import { formatDate, formatDateTime, formatMoney, formatSumInsured, formatYuan, maskIdNumber, maskPhone } from './format';

describe('money from integer fen', () => {
  it.each([
    [123450, '¥1,234.50'],
    [9900, '¥99.00'],
    [5, '¥0.05'],
    [0, '¥0.00'],
    [100, '¥1.00'],
    [99999999, '¥999,999.99'],
    [100000000000, '¥1,000,000,000.00'],
    [-9900, '-¥99.00'], // a red-letter invoice
    [-5, '-¥0.05'],
  ])('%i fen is %s', (fen, text) => {
    expect(formatMoney(fen)).toBe(text);
  });

  it('writes yuan the Chinese way', () => {
    expect(formatYuan(123450)).toBe('1,234.50 元');
    expect(formatYuan(-29700)).toBe('-297.00 元');
  });

  it('refuses anything but an integer number of fen', () => {
    expect(() => formatMoney(12.5)).toThrow(TypeError);
    expect(() => formatYuan(Number.NaN)).toThrow(TypeError);
  });

  it('writes sums insured in 万元 in Chinese', () => {
    expect(formatSumInsured(50000000, 'zh-CN')).toBe('50万元');
    expect(formatSumInsured(1800000, 'zh-CN')).toBe('1.8万元');
    expect(formatSumInsured(250000, 'zh-CN')).toBe('¥2,500');
    expect(formatSumInsured(50000000, 'en')).toBe('¥500,000');
    expect(formatSumInsured(12345, 'en')).toBe('¥123.45');
  });
});

describe('dates and times in Asia/Shanghai', () => {
  it('shows an API date as it is', () => {
    expect(formatDate('2026-12-03')).toBe('2026-12-03');
    expect(formatDate('2026-02-30')).toBe('');
  });

  it('shows an instant by its Shanghai calendar day', () => {
    expect(formatDate('2026-12-02T16:30:00Z')).toBe('2026-12-03');
    expect(formatDate('2026-12-03T00:30:00+08:00')).toBe('2026-12-03');
    expect(formatDate('2026-12-02T23:59:59-08:00')).toBe('2026-12-03');
    expect(formatDate('not a date')).toBe('');
  });

  it('shows date-times on the 24-hour Shanghai clock', () => {
    expect(formatDateTime('2026-12-02T16:30:05.123Z')).toBe('2026-12-03 00:30:05');
    expect(formatDateTime('2026-11-21T17:32:00.000+08:00')).toBe('2026-11-21 17:32:00');
    expect(formatDateTime(new Date(0))).toBe('1970-01-01 08:00:00');
  });
});

describe('masks (RULES.md §6)', () => {
  it('keeps the first 6 and last 4 of an ID number', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNumber('A1234563')).toBe('A1****63');
  });

  it('keeps the first 3 and last 4 of a mobile number', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone('+86 138-0013-8000')).toBe('138****8000');
  });
});
