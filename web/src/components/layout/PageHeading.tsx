import { createContext, useContext, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { DocumentTitle } from './DocumentTitle';

// Inside a page of its own (the console's activation on a holder's behalf shows the portal's
// activation steps): each step's heading is an <h2> under that page's <h1>, and the tab keeps
// the page's title.
export const NestedHeadings = createContext(false);
export const NestedPageHeadings = NestedHeadings.Provider;

// A portal page's heading (the page's one <h1>), an optional introduction under it, and the
// browser tab's title.
export function PageHeading({ title, intro, children }: { title: string; intro?: string; children?: ReactNode }) {
  const { t } = useTranslation();
  const nested = useContext(NestedHeadings);
  return (
    <header className="ax-page-heading">
      {nested ? <h2>{title}</h2> : <DocumentTitle title={title} app={t('appName')} />}
      {!nested && <h1>{title}</h1>}
      {intro && <p>{intro}</p>}
      {children}
    </header>
  );
}
