// A serial range (起始卡号 .. 终止卡号) as typed: the number of cards in it, or why it is not one.
import { parseCardSerial } from '../../../../lib/validation';

export type RangeCheck =
  | { ok: true; first: string; last: string; count: number }
  | { ok: false; code: 'incomplete' | 'prefix_mismatch' | 'before_first' };

function split(serial: string): { prefix: string; seq: number } | null {
  const m = /^([A-Z]{2,4})(\d{10})\d$/.exec(serial);
  return m ? { prefix: m[1] ?? '', seq: Number(m[2]) } : null;
}

// Checks `first` .. `last`: both valid serials (with their check digits), the same prefix, in order.
export function checkSerialRange(first: string | undefined, last: string | undefined): RangeCheck {
  const a = parseCardSerial(first ?? '');
  const b = parseCardSerial(last ?? '');
  if (!a.ok || !b.ok) return { ok: false, code: 'incomplete' };
  const x = split(a.value);
  const y = split(b.value);
  if (!x || !y) return { ok: false, code: 'incomplete' };
  if (x.prefix !== y.prefix) return { ok: false, code: 'prefix_mismatch' };
  if (y.seq < x.seq) return { ok: false, code: 'before_first' };
  return { ok: true, first: a.value, last: b.value, count: y.seq - x.seq + 1 };
}

// The serials of a list typed one per line or separated by commas, spaces or 、, upper-cased and
// without repeats, in the order typed.
export function parseSerialList(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(/[\s,，、;；]+/)) {
    const serial = part.trim().toUpperCase();
    if (serial) seen.add(serial);
  }
  return [...seen];
}
