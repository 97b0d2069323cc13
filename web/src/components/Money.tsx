import { formatMoney, formatYuan } from '../lib/format';

// An amount of integer fen: "¥1,234.50", or "1,234.50 元" with unit="yuan".
export function Money({ fen, unit = 'symbol' }: { fen: number; unit?: 'symbol' | 'yuan' }) {
  return <span className="ax-money">{unit === 'yuan' ? formatYuan(fen) : formatMoney(fen)}</span>;
}
