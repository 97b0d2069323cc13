// Every console page, from every feature. Features do not know each other; they meet here.
import type { ConsoleRoute } from '../../components/layout/console-route';
import { adminConsoleRoutes } from '../../features/admin/routes/console';
import { cardConsoleRoutes } from '../../features/cards/routes/console';
import { identityConsoleRoutes } from '../../features/identity/routes/console';
import { notifyConsoleRoutes } from '../../features/notify/routes/console';

export const consoleRoutes: readonly ConsoleRoute[] = [
  ...identityConsoleRoutes,
  ...cardConsoleRoutes,
  ...notifyConsoleRoutes,
  ...adminConsoleRoutes,
];
