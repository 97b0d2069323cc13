// The console's notification pages: the SMS gateway simulator.
import type { ConsoleRoute } from '../../../../components/layout/console-route';
import { i18next } from '../../../../lib/i18n';

export const notifyConsoleRoutes: ConsoleRoute[] = [
  {
    path: 'sms/simulator',
    label: () => i18next.t('notifyConsole:menu.simulator'),
    permissions: ['sms.simulate'],
    menu: { group: 'admin', order: 40 },
    load: () => import('./SmsSimulatorPage'),
  },
];
