import type { Namespace } from '../../../lib/i18n';
import zh from './zh-CN';

// The console's administration texts; only the console bundles them.
export const adminNamespace: Namespace<typeof zh> = { name: 'admin', zh, en: () => import('./en') };

declare module 'i18next' {
  interface ResourceNamespaceMap {
    admin: typeof zh;
  }
}
