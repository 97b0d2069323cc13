import type { Namespace } from '../../../../lib/i18n';
import zh from './zh-CN';

// The identity feature's console texts (organisations and users); only the console bundles them.
export const identityConsoleNamespace: Namespace<typeof zh> = { name: 'identityConsole', zh, en: () => import('./en') };

declare module 'i18next' {
  interface ResourceNamespaceMap {
    identityConsole: typeof zh;
  }
}
