import { useTranslation } from 'react-i18next';

import { maskIdNumber, maskPhone } from '../lib/format';

// A personal value shown masked (RULES.md §6). Values from the server come masked already; values
// the browser holds (what the holder typed) are masked here with kind="id" or kind="phone".
export function Masked({ value, kind }: { value: string | null | undefined; kind?: 'id' | 'phone' }) {
  const { t } = useTranslation();
  if (!value) return null;
  const shown = kind === 'id' ? maskIdNumber(value) : kind === 'phone' ? maskPhone(value) : value;
  return (
    <span className="ax-masked" title={t('masked')}>
      {shown}
    </span>
  );
}
