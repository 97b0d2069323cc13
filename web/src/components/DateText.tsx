import { formatDate, formatDateTime } from '../lib/format';

// A date as yyyy-MM-dd, or with withTime a date-time in Shanghai time.
export function DateText({ value, withTime = false }: { value: string | null | undefined; withTime?: boolean }) {
  if (!value) return null;
  const shown = withTime ? formatDateTime(value) : formatDate(value);
  return <time dateTime={value}>{shown}</time>;
}
