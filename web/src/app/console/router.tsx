// The console's routes under /console/: the login page, then every feature's pages inside the
// layout, each loaded when first opened and guarded by its permissions.
import { Result, Spin } from 'antd';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, type RouteObject } from 'react-router';

import { DocumentTitle } from '../../components/layout/DocumentTitle';
import { mayOpen, type ConsoleRoute } from '../../components/layout/console-route';
import { loadConsoleLoginPage } from '../../features/identity/routes/console';
import { useConsoleAccess } from './access';
import { ConsoleLayout } from './ConsoleLayout';
import { RequireSession } from './RequireSession';
import { consoleRoutes } from './routes';

function Forbidden() {
  const { t } = useTranslation('console');
  // The refusal is the page's one <h1>, as every console page has one.
  return (
    <Result
      status="403"
      title={<h1 className="console-result-title">{t('forbidden.title')}</h1>}
      subTitle={t('forbidden.body')}
    />
  );
}

function Loading() {
  return (
    <div className="console-center">
      <Spin size="large" />
    </div>
  );
}

function NotFound() {
  const { t } = useTranslation();
  return <Result status="404" title={t('notFound.title')} subTitle={t('notFound.body')} />;
}

// Wraps a page: its title, and the checks of the menu (permissions, head office, server routes)
// for callers who type its address.
function guarded(route: ConsoleRoute, Page: ComponentType): ComponentType {
  return function GuardedPage() {
    const { caller, access, deciding } = useConsoleAccess();
    const { t } = useTranslation();
    if (!caller) return null;
    if (deciding(route)) return <Loading />;
    if (!mayOpen(route, access.permissions, access)) return <Forbidden />;
    return (
      <>
        <DocumentTitle title={route.label()} app={t('consoleName')} />
        <Page />
      </>
    );
  };
}

function pageRoute(route: ConsoleRoute): RouteObject {
  const lazy = async () => ({ Component: guarded(route, (await route.load()).default) });
  return route.path === '' ? { index: true, lazy } : { path: route.path, lazy };
}

export function createConsoleRouter() {
  return createBrowserRouter(
    [
      {
        path: '/login',
        HydrateFallback: Loading,
        lazy: async () => ({ Component: (await loadConsoleLoginPage()).default }),
      },
      {
        path: '/',
        HydrateFallback: Loading,
        element: (
          <RequireSession>
            <ConsoleLayout />
          </RequireSession>
        ),
        children: [...consoleRoutes.map(pageRoute), { path: '*', Component: NotFound }],
      },
    ],
    { basename: '/console' },
  );
}
