// The identity feature's console pages. The login page sits outside the console layout and is
// wired by the app; these are inside it.
import { i18next } from '../../../../lib/i18n';
import type { ConsoleRoute } from '../../../../components/layout/console-route';

export const identityConsoleRoutes: ConsoleRoute[] = [
  {
    path: '',
    label: () => i18next.t('identity:menu.home'),
    menu: { group: 'workbench', order: 0 },
    load: () => import('./HomePage'),
  },
  {
    path: 'admin/orgs',
    label: () => i18next.t('identityConsole:menu.orgs'),
    permissions: ['org.write'],
    menu: { group: 'admin', order: 10 },
    load: () => import('./OrgsPage'),
  },
  {
    path: 'admin/users',
    label: () => i18next.t('identityConsole:menu.users'),
    permissions: ['user.read'],
    menu: { group: 'admin', order: 20 },
    load: () => import('./UsersPage'),
  },
  {
    path: 'password',
    label: () => i18next.t('identity:menu.password'),
    menu: { group: 'account', order: 10 },
    load: () => import('./ChangePasswordPage'),
  },
];

export const loadConsoleLoginPage = () => import('./LoginPage');
