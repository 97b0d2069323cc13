// The console's frame: the menu of the caller's permissions, the header with the caller, the
// language switch and logout, and the page. On a phone the header keeps to one row (the short
// name, no caller) and the caller heads the menu drawer instead.
import { Button, Drawer, Grid, Layout, Menu, Space, Spin, Typography } from 'antd';
import { Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';

import { ConsoleCallerProvider } from '../../components/layout/console-caller';
import { consoleMenu, type ConsoleAccess } from '../../components/layout/console-route';
import { LanguageSwitch } from '../../components/layout/LanguageSwitch';
import { useLogout, useMe } from '../../features/identity/api/session';
import { useConsoleAccess } from './access';
import { CONSOLE_MENU_GROUPS } from './i18n';
import { consoleRoutes } from './routes';

function useMenuItems(access: ConsoleAccess) {
  const { t } = useTranslation('console');
  return consoleMenu(consoleRoutes, access, CONSOLE_MENU_GROUPS).map((group) => ({
    type: 'group' as const,
    key: `group:${group.group}`,
    label: t(`groups.${group.group as (typeof CONSOLE_MENU_GROUPS)[number]}`),
    children: group.routes.map((route) => ({ key: `/${route.path}`, label: route.label(), icon: route.menu?.icon })),
  }));
}

export function ConsoleLayout() {
  const { t } = useTranslation('console');
  const { t: tc } = useTranslation();
  const me = useMe();
  const logout = useLogout();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const { caller, access } = useConsoleAccess();
  const items = useMenuItems(access);
  const selected = useMemo(() => [location.pathname.replace(/\/+$/, '') || '/'], [location.pathname]);

  const menu = (
    <Menu
      mode="inline"
      items={items}
      selectedKeys={selected}
      onClick={({ key }) => {
        setDrawerOpen(false);
        navigate(key);
      }}
    />
  );
  const user = me.data;
  const wide = screens.md !== false;
  const who = user && (
    <span className="console-user" aria-label={t('header.user')}>
      {user.display_name}
      {user.org ? ` · ${user.org.name ?? ''}` : ''}
    </span>
  );

  return (
    <Layout className="console-layout">
      {wide && (
        <Layout.Sider width={220} theme="light" className="console-sider">
          <nav aria-label={t('header.menu')}>{menu}</nav>
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header className="console-header">
          <Space>
            {!wide && (
              <Button onClick={() => setDrawerOpen(true)} aria-label={t('header.menu')}>
                {t('header.menu')}
              </Button>
            )}
            <Typography.Text strong className="console-brand">
              {wide ? tc('consoleName') : tc('appName')}
            </Typography.Text>
          </Space>
          <Space size={wide ? 'middle' : 'small'} wrap={wide}>
            {wide && who}
            <LanguageSwitch />
            <Button
              size={wide ? 'middle' : 'small'}
              onClick={() => logout.mutate(undefined, { onSuccess: () => navigate('/login', { replace: true }) })}
              loading={logout.isPending}
            >
              {tc('actions.logout')}
            </Button>
          </Space>
        </Layout.Header>
        {/* antd's Layout.Content is the page's one <main> landmark. */}
        <Layout.Content className="console-content">
          {caller && (
            <ConsoleCallerProvider value={caller}>
              <Suspense fallback={<Spin />}>
                <Outlet />
              </Suspense>
            </ConsoleCallerProvider>
          )}
        </Layout.Content>
      </Layout>
      {!wide && (
        <Drawer open={drawerOpen} onClose={() => setDrawerOpen(false)} placement="left" title={t('header.menu')}>
          {who && <p className="console-drawer-user">{who}</p>}
          <nav aria-label={t('header.menu')}>{menu}</nav>
        </Drawer>
      )}
    </Layout>
  );
}
