// What the console offers the caller: their permissions (GET /api/v1/me), whether they work at the
// head office (their organisation's level), and which contract routes the server has (its OpenAPI
// paths, read only when a page waiting for one could be offered to this caller).
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';

import type { ConsoleCaller } from '../../components/layout/console-caller';
import { needsServerPaths, type ConsoleAccess, type ConsoleRoute } from '../../components/layout/console-route';
import { fetchServerPaths, serverPathsQueryKey } from '../../lib/api/server-paths';
import { useOrg } from '../../features/identity/api/admin';
import { useMe } from '../../features/identity/api/session';
import { consoleRoutes } from './routes';

export interface ConsoleAccessState {
  caller: ConsoleCaller | null;
  access: ConsoleAccess;
  // Whether what decides `route` for this caller is still loading.
  deciding: (route: ConsoleRoute) => boolean;
}

export function useConsoleAccess(): ConsoleAccessState {
  const me = useMe();
  const user = me.data;
  const permissions = useMemo(() => user?.permissions ?? [], [user]);
  const org = useOrg(user?.org?.id ?? undefined, permissions.includes('org.read'));
  const wantsPaths = useMemo(() => consoleRoutes.some((r) => needsServerPaths(r, permissions)), [permissions]);
  const paths = useQuery({
    queryKey: serverPathsQueryKey,
    queryFn: ({ signal }) => fetchServerPaths(signal),
    enabled: wantsPaths,
    staleTime: Infinity,
    retry: false,
  });

  return useMemo(() => {
    const level = org.data?.level ?? null;
    const headOffice = level === 'head_office';
    const caller: ConsoleCaller | null = user
      ? {
          id: user.id,
          login: user.login,
          displayName: user.display_name,
          org: user.org ? { id: user.org.id ?? '', code: user.org.code ?? '', name: user.org.name ?? '', level } : null,
          roles: user.roles,
          permissions,
          headOffice,
        }
      : null;
    const access: ConsoleAccess = { permissions, headOffice, serverPaths: paths.data ?? null };
    const deciding = (route: ConsoleRoute) =>
      (Boolean(route.headOfficeOnly) && org.isLoading) || (needsServerPaths(route, permissions) && paths.isLoading);
    return { caller, access, deciding };
  }, [user, permissions, org.data, org.isLoading, paths.data, paths.isLoading]);
}
