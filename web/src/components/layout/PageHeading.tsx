import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { DocumentTitle } from './DocumentTitle';

// A portal page's heading (the page's one <h1>), an optional introduction under it, and the
// browser tab's title.
export function PageHeading({ title, intro, children }: { title: string; intro?: string; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <header className="ax-page-heading">
      <DocumentTitle title={title} app={t('appName')} />
      <h1>{title}</h1>
      {intro && <p>{intro}</p>}
      {children}
    </header>
  );
}
