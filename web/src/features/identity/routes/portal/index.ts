// The identity feature's portal pages: customer login, the account and its password.
import type { RouteObject } from 'react-router';

export const identityPortalRoutes: RouteObject[] = [
  { path: 'login', lazy: async () => ({ Component: (await import('./LoginPage')).default }) },
  { path: 'account', lazy: async () => ({ Component: (await import('./AccountPage')).default }) },
  { path: 'account/password', lazy: async () => ({ Component: (await import('./PasswordPage')).default }) },
];
