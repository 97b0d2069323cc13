// Date ranges of the console's filters and reports, as yyyy-MM-dd texts: checks with the server's
// codes, and the usual presets counted back from today in Shanghai.
import { addDays, daysFromCivil, isoDate, parseIsoDate, todayInShanghai, type CivilDate, type Check } from './validation';

export interface DateRange {
  from: string;
  to: string;
}

// The server's limit on a report's range (card-reports: to - from at most 400 days).
export const MAX_REPORT_DAYS = 400;

// Checks a range: both dates given and valid, `to` not before `from`, and at most `maxDays` from
// one to the other. Codes required, invalid_date, before_from, range_too_large.
export function checkDateRange(from: string | undefined, to: string | undefined, maxDays?: number): Check<DateRange> {
  if (!from || !to) return { ok: false, code: 'required' };
  const a = parseIsoDate(from);
  const b = parseIsoDate(to);
  if (!a || !b) return { ok: false, code: 'invalid_date' };
  const days = daysFromCivil(b) - daysFromCivil(a);
  if (days < 0) return { ok: false, code: 'before_from' };
  if (maxDays !== undefined && days > maxDays) return { ok: false, code: 'range_too_large' };
  return { ok: true, value: { from: isoDate(a), to: isoDate(b) } };
}

// The last `days` days up to and including `today`.
export function lastDays(days: number, today: CivilDate = todayInShanghai()): DateRange {
  return { from: isoDate(addDays(today, 1 - days)), to: isoDate(today) };
}

// From the first of this month to today.
export function thisMonth(today: CivilDate = todayInShanghai()): DateRange {
  return { from: isoDate({ ...today, day: 1 }), to: isoDate(today) };
}

// Every day of a range, in order (for a report's x axis; days without figures included).
export function daysOf(range: DateRange): string[] {
  const a = parseIsoDate(range.from);
  const b = parseIsoDate(range.to);
  if (!a || !b) return [];
  const out: string[] = [];
  for (let d = a; daysFromCivil(d) <= daysFromCivil(b) && out.length <= MAX_REPORT_DAYS; d = addDays(d, 1)) out.push(isoDate(d));
  return out;
}
