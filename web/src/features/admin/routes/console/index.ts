// The console's oversight pages: the audit log and the trial balance.
import type { ConsoleRoute } from '../../../../components/layout/console-route';
import { i18next } from '../../../../lib/i18n';

const label = (key: 'audit' | 'trialBalance') => () => i18next.t(`admin:menu.${key}`);

export const adminConsoleRoutes: ConsoleRoute[] = [
  { path: 'admin/audit', label: label('audit'), permissions: ['audit.read'], menu: { group: 'admin', order: 30 }, load: () => import('./AuditLogPage') },
  {
    path: 'finance/trial-balance',
    label: label('trialBalance'),
    permissions: ['ledger.read'],
    headOfficeOnly: true,
    menu: { group: 'finance', order: 90 },
    load: () => import('./TrialBalancePage'),
  },
];
