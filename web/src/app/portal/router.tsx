// The portal's routes: the home page, every feature's portal pages (loaded when first opened),
// and a page for addresses that name none.
import { createBrowserRouter } from 'react-router';

import { cardPortalRoutes } from '../../features/cards/routes/portal';
import { identityPortalRoutes } from '../../features/identity/routes/portal';
import { PortalLayout, PortalLoading } from './PortalLayout';

export function createPortalRouter() {
  return createBrowserRouter([
    {
      path: '/',
      element: <PortalLayout />,
      HydrateFallback: PortalLoading,
      children: [
        { index: true, lazy: async () => ({ Component: (await import('./HomePage')).default }) },
        ...cardPortalRoutes,
        ...identityPortalRoutes,
        { path: '*', lazy: async () => ({ Component: (await import('./NotFoundPage')).default }) },
      ],
    },
  ]);
}
