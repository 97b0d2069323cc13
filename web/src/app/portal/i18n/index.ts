import type { Namespace } from '../../../lib/i18n';
import zh from './zh-CN';

export const portalNamespace: Namespace<typeof zh> = { name: 'portal', zh, en: () => import('./en') };

declare module 'i18next' {
  interface ResourceNamespaceMap {
    portal: typeof zh;
  }
}
