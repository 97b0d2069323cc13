// The client's checks must agree with the server's (src/common/validation.cpp and the others
// named in validation.ts). Examples from RULES.md §5 and the server's own tests.
import { describe, expect, it } from 'vitest';

import {
  addDays,
  ageOn,
  checkBeneficiaryShares,
  checkHolderAdult,
  checkInsurableAge,
  checkPartyName,
  normalizeIdNumber,
  normalizeMobile,
  parseCardSerial,
  parseIsoDate,
  parseResidentId,
  todayInShanghai,
  type CivilDate,
} from './validation';

const TODAY: CivilDate = { year: 2026, month: 12, day: 2 };
const d = (text: string): CivilDate => {
  const parsed = parseIsoDate(text);
  if (!parsed) throw new Error(text);
  return parsed;
};
const code = (check: { ok: boolean; code?: string }) => (check.ok ? 'ok' : check.code);

describe('resident ID numbers (GB 11643-1999, RULES.md §5)', () => {
  it.each([
    ['11010519491231002X', { birth: '1949-12-31', sex: 'female', region: '110105' }],
    ['440524188001010014', { birth: '1880-01-01', sex: 'male', region: '440524' }],
    ['513101198201130014', { birth: '1982-01-13', sex: 'male', region: '513101' }],
  ])('accepts the RULES.md example %s and reads birth date and sex from it', (number, facts) => {
    const parsed = parseResidentId(number, TODAY);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.number).toBe(number);
    expect(parsed.value.regionCode).toBe(facts.region);
    expect(parsed.value.birthDate).toEqual(d(facts.birth));
    expect(parsed.value.sex).toBe(facts.sex);
  });

  it('upper-cases a final x', () => {
    const parsed = parseResidentId('11010519491231002x', TODAY);
    expect(parsed.ok && parsed.value.number).toBe('11010519491231002X');
  });

  it.each([
    ['110105194912310021', 'invalid_checksum'], // RULES.md example with a wrong check character
    ['11010519491231002Y', 'invalid_format'],
    ['440524188001010015', 'invalid_checksum'],
    ['110105199003071238', 'invalid_checksum'], // the server scenario's mistyped number
    ['11010519491231002', 'invalid_format'], // 17 characters
    ['11010519491231002XX', 'invalid_format'],
    ['1101051949123100X2', 'invalid_format'], // X only at the end
    ['110105194902300020', 'invalid_birth_date'], // 30 February (check characters right: the date is what fails)
    ['110105177912310025', 'invalid_birth_date'], // before 1800
    ['110105202712310022', 'invalid_birth_date'], // born after today
    ['110105 19491231002', 'invalid_format'],
  ])('refuses %s with %s', (number, expected) => {
    expect(code(parseResidentId(number, TODAY))).toBe(expected);
  });

  it('accepts someone born today but not tomorrow', () => {
    // Both numbers carry a right check character: only the birth date differs.
    expect(code(parseResidentId('11010520261202001X', TODAY))).toBe('ok');
    expect(code(parseResidentId('110105202612030015', TODAY))).toBe('invalid_birth_date');
  });
});

describe('other identity documents (policies::NormalizeIdNumber)', () => {
  it.each([
    ['resident_id', '  11010519491231002x ', 'ok', '11010519491231002X'],
    ['resident_id', '', 'required', null],
    ['hk_macau_id', 'A123456(3)', 'ok', 'A1234563'],
    ['hk_macau_id', 'a123456(4)', 'invalid_checksum', null],
    ['hk_macau_id', '12345678', 'ok', '12345678'], // Macau: starts 1, 5 or 7
    ['hk_macau_id', '22345678', 'invalid_format', null],
    ['taiwan_id', 'A123456789', 'ok', 'A123456789'],
    ['taiwan_id', 'A123456788', 'invalid_checksum', null],
    ['taiwan_id', 'A323456789', 'invalid_format', null],
    ['hk_macau_permit', 'H12345678', 'ok', 'H12345678'],
    ['hk_macau_permit', 'H1234567', 'invalid_format', null],
    ['taiwan_permit', '12345678', 'ok', '12345678'],
    ['taiwan_permit', '123456789', 'invalid_format', null],
    ['passport', 'e1234567', 'ok', 'E1234567'],
    ['passport', 'E12', 'invalid_format', null],
    ['foreign_permanent_id', 'usa110012345678', 'ok', 'USA110012345678'],
    ['foreign_permanent_id', 'US1110012345678', 'invalid_format', null],
  ] as const)('%s %s: %s', (type, number, expected, normalized) => {
    const result = normalizeIdNumber(type, number, TODAY);
    expect(code(result)).toBe(expected);
    if (result.ok) expect(result.value).toBe(normalized);
  });
});

describe('mobile numbers (RULES.md §5)', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['+8613800138000', '13800138000'],
    ['8613800138000', '13800138000'],
    ['138-0013-8000', '13800138000'],
    ['199 0000 1111', '19900001111'],
  ])('accepts %s as %s', (input, digits) => {
    const result = normalizeMobile(input);
    expect(result.ok && result.value).toBe(digits);
  });

  it.each(['12800138000', '1380013800', '138001380000', '23800138000', '86138001380', '1380013800a', ''])(
    'refuses %s',
    (input) => {
      expect(code(normalizeMobile(input))).toBe('invalid_format');
    },
  );
});

describe('names', () => {
  it('trims ideographic and no-break spaces and counts code points, not UTF-16 units', () => {
    expect(checkPartyName('\u3000王小明\u00a0')).toEqual({ ok: true, value: '王小明' });
    expect(code(checkPartyName('  '))).toBe('required');
    expect(code(checkPartyName('王\u0007明'))).toBe('invalid_format');
    expect(code(checkPartyName('𠀀'.repeat(50)))).toBe('ok'); // 50 code points, 100 UTF-16 units
    expect(code(checkPartyName('王'.repeat(51)))).toBe('too_long');
  });
});

describe('ages', () => {
  it('counts whole years, a 29 February birthday from 1 March in common years', () => {
    expect(ageOn(d('2008-02-29'), d('2026-02-28'))).toBe(17);
    expect(ageOn(d('2008-02-29'), d('2026-03-01'))).toBe(18);
    expect(ageOn(d('1990-03-07'), d('2026-03-06'))).toBe(35);
    expect(ageOn(d('1990-03-07'), d('2026-03-07'))).toBe(36);
  });

  it('checks the insured on the start of cover, both ends inclusive', () => {
    const range = { min_age: 18, max_age: 65 };
    const start = d('2026-12-03');
    expect(code(checkInsurableAge(d('2008-12-03'), start, range))).toBe('ok'); // 18 that day
    expect(code(checkInsurableAge(d('2008-12-04'), start, range))).toBe('age_not_insurable'); // 17
    expect(code(checkInsurableAge(d('1961-12-03'), start, range))).toBe('ok'); // 65
    expect(code(checkInsurableAge(d('1960-12-03'), start, range))).toBe('age_not_insurable'); // 66
  });

  it('uses the minimum in days when the product has one (newborns)', () => {
    const range = { min_age: 0, max_age: 60, min_age_days: 28 };
    const start = d('2026-12-03');
    expect(code(checkInsurableAge(addDays(start, -28), start, range))).toBe('ok');
    expect(code(checkInsurableAge(addDays(start, -27), start, range))).toBe('age_not_insurable');
  });

  it('wants the policyholder to be an adult today', () => {
    expect(code(checkHolderAdult(d('2008-12-02'), TODAY))).toBe('ok');
    expect(code(checkHolderAdult(d('2008-12-03'), TODAY))).toBe('holder_not_adult');
  });
});

describe('beneficiary shares', () => {
  it('are each 1-100 and together 100 when any are named', () => {
    expect(checkBeneficiaryShares([])).toEqual({ ok: true });
    expect(checkBeneficiaryShares([60, 40])).toEqual({ ok: true });
    expect(checkBeneficiaryShares([60, 30])).toEqual({ ok: false, code: 'shares_not_100' });
    expect(checkBeneficiaryShares([100, 0])).toEqual({ ok: false, code: 'out_of_range', index: 1 });
    expect(checkBeneficiaryShares(Array(11).fill(10))).toEqual({ ok: false, code: 'too_many' });
  });
});

describe('card serials (src/cards/card_serial.cpp)', () => {
  it.each([
    ['TRV00000000422', 'TRV00000000422'], // the server's own example
    ['trv00000000422', 'TRV00000000422'],
    ['ZZZ00000000018', 'ZZZ00000000018'],
    [' ACX 0000000001 8 ', 'ACX00000000018'],
  ])('accepts %s as %s', (input, serial) => {
    const result = parseCardSerial(input);
    expect(result.ok && result.value).toBe(serial);
  });

  it.each([
    ['ZZZ00000000011', 'invalid_checksum'], // the server scenario's mistyped number
    ['TRV00000000423', 'invalid_checksum'],
    ['TRV00000004022', 'invalid_checksum'], // neighbours swapped
    ['T00000000422', 'invalid_format'], // one letter
    ['ABCDE00000000422', 'invalid_format'],
    ['TRV0000000042', 'invalid_format'], // 10 digits
    ['TRV00000000000', 'invalid_format'], // sequence 0
  ])('refuses %s with %s', (input, expected) => {
    expect(code(parseCardSerial(input))).toBe(expected);
  });
});

describe('dates', () => {
  it('knows leap years and the length of months', () => {
    expect(parseIsoDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseIsoDate('2026-02-29')).toBeNull();
    expect(parseIsoDate('1900-02-29')).toBeNull();
    expect(parseIsoDate('2000-02-29')).not.toBeNull();
    expect(parseIsoDate('2026-04-31')).toBeNull();
    expect(parseIsoDate('2026-4-1')).toBeNull();
  });

  it("takes today from the Shanghai calendar, not the browser's", () => {
    // 16:30 UTC is half past midnight the next day in Shanghai.
    expect(todayInShanghai(new Date('2026-12-02T16:30:00Z'))).toEqual({ year: 2026, month: 12, day: 3 });
    expect(todayInShanghai(new Date('2026-12-02T15:59:59Z'))).toEqual({ year: 2026, month: 12, day: 2 });
  });

  it('adds days across months and years', () => {
    expect(addDays(d('2026-12-31'), 1)).toEqual(d('2027-01-01'));
    expect(addDays(d('2024-03-01'), -1)).toEqual(d('2024-02-29'));
  });
});
