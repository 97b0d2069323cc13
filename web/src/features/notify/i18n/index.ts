import type { Namespace } from '../../../lib/i18n';
import zh from './zh-CN';

// The console's texts of notifications (the SMS gateway simulator); only the console bundles them.
export const notifyConsoleNamespace: Namespace<typeof zh> = { name: 'notifyConsole', zh, en: () => import('./en') };

declare module 'i18next' {
  interface ResourceNamespaceMap {
    notifyConsole: typeof zh;
  }
}
