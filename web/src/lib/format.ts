// Formatting for display. Money stays integer fen until here (RULES.md §3); dates follow zh-CN
// usage (yyyy-MM-dd) in both languages; times are shown in Asia/Shanghai, the platform's clock,
// whatever the browser's time zone.
import { SHANGHAI_OFFSET_MS, isoDate, parseIsoDate, type CivilDate } from './validation';

function assertFen(fen: number): void {
  if (!Number.isSafeInteger(fen)) throw new TypeError(`money must be an integer number of fen, got ${fen}`);
}

// "1234567" -> "1,234,567"
function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

// Yuan and fen of an amount in fen as text, without a sign: 123450 -> "1,234.50".
function amountText(fen: number): string {
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  return `${groupThousands(String(yuan))}.${String(cents).padStart(2, '0')}`;
}

// 123450 -> "¥1,234.50"; -9900 -> "-¥99.00" (a red-letter invoice).
export function formatMoney(fen: number): string {
  assertFen(fen);
  return `${fen < 0 ? '-' : ''}¥${amountText(fen)}`;
}

// 123450 -> "1,234.50 元"; the way amounts are written in Chinese sentences and documents.
export function formatYuan(fen: number): string {
  assertFen(fen);
  return `${fen < 0 ? '-' : ''}${amountText(fen)} 元`;
}

// Sums insured are often round ten-thousands: 50000000 fen -> "50万元" (zh) / "¥500,000" (en).
export function formatSumInsured(fen: number, language: string): string {
  assertFen(fen);
  // 万元 with at most one decimal: 50000000 -> "50万元", 1800000 -> "1.8万元".
  if (language.startsWith('zh') && fen >= 1_000_000 && fen % 100_000 === 0) {
    const tenths = fen / 100_000;
    return `${Math.floor(tenths / 10)}${tenths % 10 === 0 ? '' : `.${tenths % 10}`}万元`;
  }
  if (fen % 100 === 0) return `${fen < 0 ? '-' : ''}¥${groupThousands(String(Math.abs(fen) / 100))}`;
  return formatMoney(fen);
}

// The Shanghai wall-clock time of an instant.
function shanghaiParts(instant: Date): { date: CivilDate; h: number; m: number; s: number } {
  const t = new Date(instant.getTime() + SHANGHAI_OFFSET_MS);
  return {
    date: { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() },
    h: t.getUTCHours(),
    m: t.getUTCMinutes(),
    s: t.getUTCSeconds(),
  };
}

function parseInstant(value: string | Date): Date | null {
  const instant = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(instant.getTime()) ? null : instant;
}

// A date as yyyy-MM-dd. An API date ("2026-12-01") is shown as it is; an instant (an RFC 3339
// date-time or a Date) as its date in Shanghai. Returns "" for text that is neither.
export function formatDate(value: string | Date): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const civil = parseIsoDate(value);
    return civil ? isoDate(civil) : '';
  }
  const instant = parseInstant(value);
  return instant ? isoDate(shanghaiParts(instant).date) : '';
}

// An instant as "yyyy-MM-dd HH:mm:ss" in Shanghai time. Returns "" for text that is not one.
export function formatDateTime(value: string | Date): string {
  const instant = parseInstant(value);
  if (!instant) return '';
  const { date, h, m, s } = shanghaiParts(instant);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${isoDate(date)} ${pad(h)}:${pad(m)}:${pad(s)}`;
}

// Masks for display as the server does (RULES.md §6), for values the browser itself holds (what
// the holder just typed, shown back on the confirmation page).
function maskMiddle(chars: string[], front: number, back: number): string {
  return chars.map((c, i) => (i < front || i >= chars.length - back ? c : '*')).join('');
}

function maskGeneric(text: string): string {
  const chars = [...text];
  const n = chars.length;
  let keep = 2;
  while (keep > 0 && n - Math.min(n, 2 * keep) < Math.floor((n + 1) / 2)) keep -= 1;
  return maskMiddle(chars, keep, keep);
}

// "11010519491231002X" -> "110105********002X"
export function maskIdNumber(number: string): string {
  const chars = [...number];
  return chars.length === 18 ? maskMiddle(chars, 6, 4) : maskGeneric(number);
}

// "13800138000" -> "138****8000"
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[ -]/g, '').replace(/^\+?86(?=\d{11}$)/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? `${digits.slice(0, 3)}****${digits.slice(7)}` : maskGeneric(phone);
}
