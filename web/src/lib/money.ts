// Amounts typed in yuan ("99", "99.5", "1,234.50", "¥99.00") read as integer fen without going
// through floating point, and fen written back for an input. RULES.md §3: money is integer fen.
import type { Check } from './validation';

// The largest amount a form takes: 10 billion yuan in fen (the server's limit on a confirmation).
export const MAX_AMOUNT_FEN = 1_000_000_000_000;

// Reads yuan with at most two decimals as fen. Codes required, invalid_format, out_of_range
// (zero, or more than MAX_AMOUNT_FEN).
export function parseYuan(text: string): Check<number> {
  const compact = text.trim().replace(/^[¥￥]/, '').replace(/,/g, '').replace(/\s*元$/, '');
  if (compact === '') return { ok: false, code: 'required' };
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(compact);
  if (!m) return { ok: false, code: 'invalid_format' };
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (fen < 1 || fen > MAX_AMOUNT_FEN) return { ok: false, code: 'out_of_range' };
  return { ok: true, value: fen };
}

// 9900 -> "99.00", for an input's initial value.
export function fenToYuanInput(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new TypeError(`money must be an integer number of fen, got ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
