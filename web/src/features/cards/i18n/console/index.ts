import type { Namespace } from '../../../../lib/i18n';
import zh from './zh-CN';

// The console's card texts, apart from the portal's "cards" namespace (which the console bundles
// too, for the activation steps it shows on a holder's behalf).
export const cardsConsoleNamespace: Namespace<typeof zh> = { name: 'cardsConsole', zh, en: () => import('./en') };

declare module 'i18next' {
  interface ResourceNamespaceMap {
    cardsConsole: typeof zh;
  }
}
