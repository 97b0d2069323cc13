// How a feature adds a page to the staff console: the app collects every feature's list
// (features/*/routes/console/index.ts), puts each page under /console/<path>, and shows it in the
// menu to callers who may open it: holding one of its permissions, at the head office when the
// page is the head office's, and only once the server has the routes the page needs.
import type { ComponentType, ReactNode } from 'react';

export interface ConsoleRoute {
  // Path under /console/, without a leading slash ("cards/inquiry"); "" is the home page.
  path: string;
  // The menu and page title, in the current language.
  label: () => string;
  // The caller needs at least one of these (none: every logged-in staff member).
  permissions?: readonly string[];
  // Only head office staff may open it (the server refuses everyone else: head_office_only).
  headOfficeOnly?: boolean;
  // Server routes the page calls that CONTRACTS.md promises but a server may not have yet; the
  // page is offered only when the server's OpenAPI document lists every one.
  serverPaths?: readonly string[];
  // Shown in the menu under this group (a key of ConsoleMenuGroups), in `order`; absent: not in
  // the menu (a page reached from another page).
  menu?: { group: string; order: number; icon?: ReactNode };
  // The page, loaded when first opened.
  load: () => Promise<{ default: ComponentType }>;
}

// What the console knows of the caller and the server when it decides what to offer.
export interface ConsoleAccess {
  permissions: readonly string[];
  // Whether the caller works at the head office (the root of the organisation tree).
  headOffice?: boolean;
  // The paths of the server's OpenAPI document; null while unknown (pages needing one are hidden).
  serverPaths?: ReadonlySet<string> | null;
}

type Guarded = Pick<ConsoleRoute, 'permissions' | 'headOfficeOnly' | 'serverPaths'>;

// Whether a caller holding `permissions` may open `route`; `access` adds the caller's place in
// the tree and the server's routes for the pages that depend on them.
export function mayOpen(route: Guarded, permissions: readonly string[], access: Omit<ConsoleAccess, 'permissions'> = {}): boolean {
  if (route.permissions && route.permissions.length > 0 && !route.permissions.some((p) => permissions.includes(p))) {
    return false;
  }
  if (route.headOfficeOnly && access.headOffice !== true) return false;
  if (route.serverPaths && route.serverPaths.length > 0) {
    const known = access.serverPaths;
    if (!known || !route.serverPaths.every((p) => known.has(p))) return false;
  }
  return true;
}

// Whether `route` needs the server's route list to be decided for a caller with `permissions`
// (it waits on server paths, and the caller holds its permissions).
export function needsServerPaths(route: Guarded, permissions: readonly string[]): boolean {
  return (route.serverPaths?.length ?? 0) > 0 && mayOpen({ permissions: route.permissions }, permissions);
}

export interface MenuGroup<R> {
  group: string;
  routes: R[];
}

// The menu of a caller: the routes with a menu entry the caller may open, grouped in the order of
// `groups` and sorted by their order. Empty groups are left out. `access` may be a bare list of
// permissions.
export function consoleMenu<R extends Guarded & Pick<ConsoleRoute, 'menu'>>(
  routes: readonly R[],
  access: readonly string[] | ConsoleAccess,
  groups: readonly string[],
): MenuGroup<R>[] {
  const full: ConsoleAccess = Array.isArray(access) ? { permissions: access as readonly string[] } : (access as ConsoleAccess);
  return groups
    .map((group) => ({
      group,
      routes: routes
        .filter((r) => r.menu?.group === group && mayOpen(r, full.permissions, full))
        .sort((a, b) => (a.menu?.order ?? 0) - (b.menu?.order ?? 0)),
    }))
    .filter((g) => g.routes.length > 0);
}
