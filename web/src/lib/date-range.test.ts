import { describe, expect, it } from 'vitest';

import { checkDateRange, daysOf, lastDays, MAX_REPORT_DAYS, thisMonth } from './date-range';

describe('checkDateRange', () => {
  it('accepts a range of up to the limit, the limit included', () => {
    expect(checkDateRange('2026-01-01', '2026-01-01', MAX_REPORT_DAYS)).toEqual({ ok: true, value: { from: '2026-01-01', to: '2026-01-01' } });
    expect(checkDateRange('2025-01-01', '2026-02-05', MAX_REPORT_DAYS).ok).toBe(true); // 400 days
  });

  it.each([
    [undefined, '2026-01-01', 'required'],
    ['2026-01-01', '', 'required'],
    ['2026-02-30', '2026-03-01', 'invalid_date'],
    ['2026/01/01', '2026-03-01', 'invalid_date'],
    ['2026-03-02', '2026-03-01', 'before_from'],
    ['2025-01-01', '2026-02-06', 'range_too_large'], // 401 days: the server refuses it too
  ])('%s .. %s: %s', (from, to, code) => {
    expect(checkDateRange(from, to, MAX_REPORT_DAYS)).toEqual({ ok: false, code });
  });
});

describe('presets and days', () => {
  const today = { year: 2026, month: 3, day: 5 };
  it('counts back from today', () => {
    expect(lastDays(7, today)).toEqual({ from: '2026-02-27', to: '2026-03-05' });
    expect(lastDays(1, today)).toEqual({ from: '2026-03-05', to: '2026-03-05' });
    expect(thisMonth(today)).toEqual({ from: '2026-03-01', to: '2026-03-05' });
  });

  it('lists every day of a range, across a month end', () => {
    expect(daysOf({ from: '2024-02-27', to: '2024-03-01' })).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01']);
    expect(daysOf({ from: 'x', to: '2024-03-01' })).toEqual([]);
  });
});
