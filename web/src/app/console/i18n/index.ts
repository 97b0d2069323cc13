import type { Namespace } from '../../../lib/i18n';
import zh from './zh-CN';

export const consoleNamespace: Namespace<typeof zh> = { name: 'console', zh, en: () => import('./en') };

// The menu's groups, in menu order (ConsoleRoute.menu.group names one of them).
export const CONSOLE_MENU_GROUPS = Object.keys(zh.groups) as (keyof typeof zh.groups)[];

declare module 'i18next' {
  interface ResourceNamespaceMap {
    console: typeof zh;
  }
}
