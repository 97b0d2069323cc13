import type { Namespace } from '../../../lib/i18n';
import zh from './zh-CN';

export const identityNamespace: Namespace<typeof zh> = { name: 'identity', zh, en: () => import('./en') };

declare module 'i18next' {
  interface ResourceNamespaceMap {
    identity: typeof zh;
  }
}
