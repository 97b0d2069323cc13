import { Button } from 'antd';
import { useTranslation } from 'react-i18next';

// Opens a document of the server (charge list, receipt, invoice) as PDF in a new tab. A plain
// link: the browser sends the session cookie, and the server's X-Frame-Options: DENY rules out
// showing it in a frame of the console.
export function PdfButton({ href, label, primary = false }: { href: string; label: string; primary?: boolean }) {
  const { t } = useTranslation('cardsConsole');
  return (
    <Button href={href} target="_blank" rel="noopener noreferrer" type={primary ? 'primary' : 'default'}>
      {label}
      <span className="ax-visually-hidden">{t('common.opensInNewTab')}</span>
    </Button>
  );
}
