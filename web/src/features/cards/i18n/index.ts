import type { Namespace } from '../../../lib/i18n';
import zh from './zh-CN';

export const cardsNamespace: Namespace<typeof zh> = { name: 'cards', zh, en: () => import('./en') };

declare module 'i18next' {
  interface ResourceNamespaceMap {
    cards: typeof zh;
  }
}
