// How a feature adds a page to the staff console: the app collects every feature's list
// (features/*/routes/console/index.ts), puts each page under /console/<path>, and shows it in the
// menu to callers holding one of its permissions.
import type { ComponentType, ReactNode } from 'react';

export interface ConsoleRoute {
  // Path under /console/, without a leading slash ("cards/inquiry"); "" is the home page.
  path: string;
  // The menu and page title, in the current language.
  label: () => string;
  // The caller needs at least one of these (none: every logged-in staff member).
  permissions?: readonly string[];
  // Shown in the menu under this group (a key of ConsoleMenuGroups), in `order`; absent: not in
  // the menu (a page reached from another page).
  menu?: { group: string; order: number; icon?: ReactNode };
  // The page, loaded when first opened.
  load: () => Promise<{ default: ComponentType }>;
}

// Whether a caller holding `permissions` may open `route`.
export function mayOpen(route: Pick<ConsoleRoute, 'permissions'>, permissions: readonly string[]): boolean {
  if (!route.permissions || route.permissions.length === 0) return true;
  return route.permissions.some((p) => permissions.includes(p));
}

export interface MenuGroup<R> {
  group: string;
  routes: R[];
}

// The menu of a caller: the routes with a menu entry the caller may open, grouped in the order of
// `groups` and sorted by their order. Empty groups are left out.
export function consoleMenu<R extends Pick<ConsoleRoute, 'permissions' | 'menu'>>(
  routes: readonly R[],
  permissions: readonly string[],
  groups: readonly string[],
): MenuGroup<R>[] {
  return groups
    .map((group) => ({
      group,
      routes: routes
        .filter((r) => r.menu?.group === group && mayOpen(r, permissions))
        .sort((a, b) => (a.menu?.order ?? 0) - (b.menu?.order ?? 0)),
    }))
    .filter((g) => g.routes.length > 0);
}
