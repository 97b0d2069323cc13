import './console-page.css';

import type { ReactNode } from 'react';

// A console page's frame: its one <h1>, an optional introduction (what the screen is for, in the
// words of the card system's manual), actions on the right, then the page.
export function ConsolePage({
  title,
  intro,
  extra,
  children,
}: {
  title: string;
  intro?: ReactNode;
  extra?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="ax-console-page">
      <header className="ax-console-page-header">
        <div className="ax-console-page-titles">
          <h1>{title}</h1>
          {intro && <p>{intro}</p>}
        </div>
        {extra && <div className="ax-console-page-extra">{extra}</div>}
      </header>
      <div className="ax-console-page-body">{children}</div>
    </section>
  );
}
