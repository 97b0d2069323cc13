import type { ReactNode } from 'react';

// A page's heading (the page's one <h1>) and an optional introduction under it.
export function PageHeading({ title, intro, children }: { title: string; intro?: string; children?: ReactNode }) {
  return (
    <header className="ax-page-heading">
      <h1>{title}</h1>
      {intro && <p>{intro}</p>}
      {children}
    </header>
  );
}
