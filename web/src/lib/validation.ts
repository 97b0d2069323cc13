// Client-side checks with the same rules as the server (src/common/validation.cpp,
// src/policies/policy_validation.cpp, src/cards/card_serial.cpp, src/products/product_pricing.cpp),
// so a holder sees a mistake while typing. The server stays the authority: it checks everything
// again, and its answer wins.
//
// Every check returns `{ ok: true, value }` or `{ ok: false, code }`, where `code` is the server's
// error code for the same mistake (problem+json `errors[].code`), so one message table serves both.

export type Check<T> = { ok: true; value: T } | { ok: false; code: string };

const ok = <T>(value: T): Check<T> => ({ ok: true, value });
const fail = <T>(code: string): Check<T> => ({ ok: false, code });

// A calendar date without a time zone.
export interface CivilDate {
  year: number;
  month: number; // 1-12
  day: number;
}

export type Sex = 'male' | 'female';

export const ID_TYPES = [
  'resident_id',
  'hk_macau_id',
  'taiwan_id',
  'hk_macau_permit',
  'taiwan_permit',
  'passport',
  'foreign_permanent_id',
] as const;
export type IdType = (typeof ID_TYPES)[number];

export const RELATIONSHIPS = ['self', 'spouse', 'child', 'parent', 'other'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

// The earliest birth year the server accepts (GB 11643-1999's own example was born in 1880).
const EARLIEST_BIRTH_YEAR = 1800;
// Longest party name, in code points (policies::kMaxPartyNameLength).
export const MAX_NAME_LENGTH = 50;
// Most beneficiaries on one policy (policies::kMaxBeneficiaries).
export const MAX_BENEFICIARIES = 10;
// Age from which a person may be a policyholder.
export const ADULT_AGE = 18;

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isUpper = (c: string | undefined): boolean => c !== undefined && c >= 'A' && c <= 'Z';
const allDigits = (s: string): boolean => s.length > 0 && [...s].every(isDigit);
const allUpper = (s: string): boolean => [...s].every(isUpper);

// ---- dates ----------------------------------------------------------------------------------

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  const days = [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return days[month - 1] ?? 0;
}

export function isValidDate(d: CivilDate): boolean {
  return (
    Number.isInteger(d.year) &&
    Number.isInteger(d.month) &&
    Number.isInteger(d.day) &&
    d.month >= 1 &&
    d.month <= 12 &&
    d.day >= 1 &&
    d.day <= daysInMonth(d.year, d.month)
  );
}

// Compares two dates: negative when a is earlier, 0 when equal, positive when later.
export function compareDates(a: CivilDate, b: CivilDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

// Parses "YYYY-MM-DD" (the API's date format); null when it is not a real date.
export function parseIsoDate(text: string): CivilDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return isValidDate(d) ? d : null;
}

export function isoDate(d: CivilDate): string {
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return `${pad(d.year, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}`;
}

// Days since 1970-01-01 of a civil date (proleptic Gregorian).
export function daysFromCivil(d: CivilDate): number {
  return Math.round(Date.UTC(d.year, d.month - 1, d.day) / 86_400_000);
}

export function addDays(d: CivilDate, days: number): CivilDate {
  const t = new Date((daysFromCivil(d) + days) * 86_400_000);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

// Shanghai is UTC+8 all year (no daylight saving since 1991).
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

// Today's date in Asia/Shanghai, the platform's calendar.
export function todayInShanghai(now: Date = new Date()): CivilDate {
  const t = new Date(now.getTime() + SHANGHAI_OFFSET_MS);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

// Whole years of age on `on` of someone born on `birth`; a 29 February birthday counts from
// 1 March in common years (as the server's AgeOn).
export function ageOn(birth: CivilDate, on: CivilDate): number {
  let age = on.year - birth.year;
  if (on.month < birth.month || (on.month === birth.month && on.day < birth.day)) age -= 1;
  return age;
}

// ---- resident ID (GB 11643-1999, RULES.md §5) --------------------------------------------------

export interface ResidentIdInfo {
  number: string; // upper-case, 18 characters
  regionCode: string;
  birthDate: CivilDate;
  sex: Sex;
}

const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RESIDENT_ID_CHECK = '10X98765432';

// Checks an 18-character resident ID number: shape, a real birth date not after `today` and not
// before 1800, and the check character. A final lower-case x is accepted and upper-cased. Codes:
// invalid_format, invalid_birth_date, invalid_checksum (ParseResidentId).
export function parseResidentId(number: string, today: CivilDate): Check<ResidentIdInfo> {
  if (!/^\d{17}[\dXx]$/.test(number)) return fail('invalid_format');
  const upper = number.toUpperCase();
  const birthDate = {
    year: Number(upper.slice(6, 10)),
    month: Number(upper.slice(10, 12)),
    day: Number(upper.slice(12, 14)),
  };
  if (birthDate.year < EARLIEST_BIRTH_YEAR || !isValidDate(birthDate) || compareDates(birthDate, today) > 0) {
    return fail('invalid_birth_date');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(upper[i]) * (RESIDENT_ID_WEIGHTS[i] ?? 0);
  if (RESIDENT_ID_CHECK[sum % 11] !== upper[17]) return fail('invalid_checksum');
  return ok({
    number: upper,
    regionCode: upper.slice(0, 6),
    birthDate,
    sex: Number(upper[16]) % 2 === 1 ? 'male' : 'female',
  });
}

// ---- other identity documents (policies::NormalizeIdNumber) ---------------------------------

// Trims ASCII white space, the ideographic space and the no-break space at both ends.
export function trimText(text: string): string {
  return text.replace(/^[ \t\n\r\u3000\u00a0]+|[ \t\n\r\u3000\u00a0]+$/g, '');
}

// Upper-cases ASCII letters and drops spaces, parentheses and dashes ("a123456(3)" -> "A1234563").
function compactUpper(text: string): string {
  return text.replace(/[ ()-]/g, '').replace(/[a-z]/g, (c) => c.toUpperCase());
}

// Hong Kong identity card: weights 9..2 over [space or letter][letter][6 digits]; letters count
// A=10..Z=35, a missing first letter 36; check = 11 - sum mod 11 (10 is 'A', 11 is '0').
function hongKongCheckOk(id: string): boolean {
  let body = id.slice(0, -1);
  if (body.length === 7) body = ` ${body}`;
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = body[i] ?? ' ';
    const value = c === ' ' ? 36 : isUpper(c) ? c.charCodeAt(0) - 55 : Number(c);
    sum += value * (9 - i);
  }
  const check = 11 - (sum % 11);
  const expected = check === 11 ? '0' : check === 10 ? 'A' : String(check);
  return id.endsWith(expected);
}

// Taiwan ID: the letter's two-digit code, weights 1 and 9 for its digits, 8..1 for the next eight
// digits, 1 for the check digit; the sum is a multiple of 10.
const TAIWAN_LETTER_CODES = [
  10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33,
];
function taiwanCheckOk(id: string): boolean {
  const code = TAIWAN_LETTER_CODES[id.charCodeAt(0) - 65] ?? 0;
  let sum = Math.floor(code / 10) + (code % 10) * 9;
  for (let i = 1; i <= 8; i++) sum += Number(id[i]) * (9 - i);
  sum += Number(id[9]);
  return sum % 10 === 0;
}

// Checks and normalises an identity document number of `type` as the server does. Codes:
// required, invalid_format, invalid_birth_date, invalid_checksum.
export function normalizeIdNumber(type: IdType, number: string, today: CivilDate): Check<string> {
  const trimmed = trimText(number);
  if (trimmed === '') return fail('required');
  if (type === 'resident_id') {
    const parsed = parseResidentId(trimmed, today);
    return parsed.ok ? ok(parsed.value.number) : fail(parsed.code);
  }
  const id = compactUpper(trimmed);
  switch (type) {
    case 'hk_macau_id': {
      const hongKong =
        (id.length === 8 || id.length === 9) &&
        allUpper(id.slice(0, id.length - 7)) &&
        allDigits(id.slice(id.length - 7, id.length - 1)) &&
        (isDigit(id.at(-1)) || id.at(-1) === 'A');
      if (hongKong) return hongKongCheckOk(id) ? ok(id) : fail('invalid_checksum');
      const macau = id.length === 8 && allDigits(id) && '157'.includes(id[0] ?? '');
      return macau ? ok(id) : fail('invalid_format');
    }
    case 'taiwan_id':
      if (!/^[A-Z][12]\d{8}$/.test(id)) return fail('invalid_format');
      return taiwanCheckOk(id) ? ok(id) : fail('invalid_checksum');
    case 'hk_macau_permit':
      return /^[HM](\d{8}|\d{10})$/.test(id) ? ok(id) : fail('invalid_format');
    case 'taiwan_permit':
      return /^(\d{8}|\d{10})$/.test(id) ? ok(id) : fail('invalid_format');
    case 'passport':
      return /^[0-9A-Z]{5,20}$/.test(id) ? ok(id) : fail('invalid_format');
    case 'foreign_permanent_id': {
      if (/^[A-Z]{3}\d{12}$/.test(id)) return ok(id);
      if (id.length === 18 && id[0] === '9') {
        const parsed = parseResidentId(id, today);
        return parsed.ok ? ok(parsed.value.number) : fail(parsed.code);
      }
      return fail('invalid_format');
    }
  }
  return fail('invalid_format');
}

// ---- mobile numbers (RULES.md §5) -----------------------------------------------------------

// Checks a mainland mobile number (11 digits 1[3-9]xxxxxxxxx, optional +86 / 86 prefix, spaces
// and dashes ignored) and returns the 11 digits. Code invalid_format (NormalizeMobile).
export function normalizeMobile(number: string): Check<string> {
  let compact = number.replace(/[ -]/g, '');
  if (compact.startsWith('+86')) compact = compact.slice(3);
  else if (compact.length === 13 && compact.startsWith('86')) compact = compact.slice(2);
  return /^1[3-9]\d{9}$/.test(compact) ? ok(compact) : fail('invalid_format');
}

// ---- names ----------------------------------------------------------------------------------

// Checks a party's name: not empty after trimming, no control characters, at most 50 code points.
// Codes required, invalid_format, too_long. Returns the trimmed name.
export function checkPartyName(name: string): Check<string> {
  const trimmed = trimText(name);
  if (trimmed === '') return fail('required');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return fail('invalid_format');
  if ([...trimmed].length > MAX_NAME_LENGTH) return fail('too_long');
  return ok(trimmed);
}

// ---- ages -----------------------------------------------------------------------------------

// A product's insurable ages, as the verify answer gives them: whole years, or a minimum in days
// of age for products that take newborns.
export interface AgeRange {
  min_age: number;
  max_age: number;
  min_age_days?: number;
}

// Checks that someone born on `birth` may be insured from `coverStart` (CheckInsurableAge):
// at least min_age_days days old (or min_age whole years when no day minimum), at most max_age
// whole years. Code age_not_insurable.
export function checkInsurableAge(birth: CivilDate, coverStart: CivilDate, range: AgeRange): Check<number> {
  const days = daysFromCivil(coverStart) - daysFromCivil(birth);
  const years = ageOn(birth, coverStart);
  const tooYoung = range.min_age_days !== undefined ? days < range.min_age_days : days < 0 || years < range.min_age;
  if (tooYoung || years > range.max_age) return fail('age_not_insurable');
  return ok(years);
}

// Checks that a policyholder born on `birth` is an adult on `today`. Code holder_not_adult.
export function checkHolderAdult(birth: CivilDate, today: CivilDate): Check<number> {
  const age = ageOn(birth, today);
  return age >= 0 && age < ADULT_AGE ? fail('holder_not_adult') : ok(age);
}

// ---- beneficiaries --------------------------------------------------------------------------

// Checks the beneficiaries' shares: each 1-100 (out_of_range, at index i), and together exactly 100
// when any are named (shares_not_100). No beneficiary means the legal heirs.
export function checkBeneficiaryShares(
  shares: readonly number[],
): { ok: true } | { ok: false; code: string; index?: number } {
  if (shares.length > MAX_BENEFICIARIES) return { ok: false, code: 'too_many' };
  for (const [index, share] of shares.entries()) {
    if (!Number.isInteger(share) || share < 1 || share > 100) return { ok: false, code: 'out_of_range', index };
  }
  const total = shares.reduce((a, b) => a + b, 0);
  if (shares.length > 0 && total !== 100) return { ok: false, code: 'shares_not_100' };
  return { ok: true };
}

// ---- card serials (src/cards/card_serial.cpp) -------------------------------------------------

// The Luhn check digit over `body`, the rightmost body digit doubled.
function luhnDigit(body: string): string {
  let sum = 0;
  let twice = true;
  for (let i = body.length - 1; i >= 0; i--) {
    let d = Number(body[i]);
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return String((10 - (sum % 10)) % 10);
}

// Checks a prepaid card's number: 2-4 letters (any case), a 10-digit sequence from 1 and a Luhn
// check digit. Returns it with an upper-case prefix. Codes invalid_format, invalid_checksum.
export function parseCardSerial(serial: string): Check<string> {
  const compact = serial.replace(/\s/g, '');
  const m = /^([A-Za-z]{2,4})(\d{10})(\d)$/.exec(compact);
  if (!m) return fail('invalid_format');
  const [, prefix = '', body = '', check = ''] = m;
  if (luhnDigit(body) !== check) return fail('invalid_checksum');
  if (Number(body) < 1) return fail('invalid_format');
  return ok(prefix.toUpperCase() + body + check);
}
