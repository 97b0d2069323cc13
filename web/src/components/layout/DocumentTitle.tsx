import { useEffect } from 'react';

// Sets the browser tab's title for the page on screen: "<page> - <app>".
export function DocumentTitle({ title, app }: { title: string; app: string }) {
  useEffect(() => {
    document.title = title ? `${title} - ${app}` : app;
  }, [title, app]);
  return null;
}
