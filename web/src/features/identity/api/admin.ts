// The organisation tree, staff users and roles (GET/POST/PATCH /api/v1/orgs, /users, /roles),
// in the caller's subtree; the server checks every call against the caller's scope.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, newIdempotencyKey } from '../../../lib/api/client';
import type { BodyOf, QueryOf, ResponseOf } from '../../../lib/api/types';

export type Org = ResponseOf<'/api/v1/orgs/{id}', 'get'>;
export type NewOrg = BodyOf<'/api/v1/orgs', 'post'>;
export type OrgChange = BodyOf<'/api/v1/orgs/{id}', 'patch'>;
export type User = ResponseOf<'/api/v1/users/{id}', 'get'>;
export type UserQuery = QueryOf<'/api/v1/users', 'get'>;
export type NewUser = BodyOf<'/api/v1/users', 'post'>;
export type UserChange = BodyOf<'/api/v1/users/{id}', 'patch'>;
export type Role = ResponseOf<'/api/v1/roles', 'get'>['items'][number];

const ORG_PAGE = 500;

const keys = {
  org: (id: string) => ['identity', 'org', id] as const,
  orgs: ['identity', 'orgs'] as const,
  users: (query: UserQuery) => ['identity', 'users', query] as const,
  roles: ['identity', 'roles'] as const,
};

// One organisation (404 outside the caller's subtree).
export function useOrg(id: string | undefined, enabled = true) {
  return useQuery({
    queryKey: keys.org(id ?? ''),
    queryFn: ({ signal }) => api.get('/api/v1/orgs/{id}', { path: { id: id ?? '' }, signal }),
    enabled: Boolean(id) && enabled,
    staleTime: 300_000,
    retry: false,
  });
}

// Every organisation of the caller's subtree, all pages read.
export function useOrgs(enabled = true) {
  return useQuery({
    queryKey: keys.orgs,
    enabled,
    staleTime: 120_000,
    queryFn: async ({ signal }) => {
      const all: Org[] = [];
      let after: string | undefined;
      do {
        const page = await api.get('/api/v1/orgs', { query: { limit: ORG_PAGE, after }, signal });
        all.push(...page.items);
        after = page.next_after ?? undefined;
      } while (after);
      return all;
    },
  });
}

export function useCreateOrg() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (org: NewOrg) => api.post('/api/v1/orgs', org, { idempotencyKey: newIdempotencyKey() }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.orgs }),
  });
}

export function useChangeOrg() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, change }: { id: string; change: OrgChange }) => api.patch('/api/v1/orgs/{id}', change, { path: { id } }),
    onSuccess: (org) => {
      queryClient.setQueryData(keys.org(org.id), org);
      void queryClient.invalidateQueries({ queryKey: keys.orgs });
    },
  });
}

// A page of users matching `query` (org_id covers its subtree; q a login or name).
export function useUsers(query: UserQuery, enabled = true) {
  return useQuery({
    queryKey: keys.users(query),
    queryFn: ({ signal }) => api.get('/api/v1/users', { query, signal }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

const invalidateUsers = (queryClient: ReturnType<typeof useQueryClient>) =>
  void queryClient.invalidateQueries({ queryKey: ['identity', 'users'] });

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (user: NewUser) => api.post('/api/v1/users', user, { idempotencyKey: newIdempotencyKey() }),
    onSuccess: () => invalidateUsers(queryClient),
  });
}

export function useChangeUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, change }: { id: string; change: UserChange }) => api.patch('/api/v1/users/{id}', change, { path: { id } }),
    onSuccess: () => invalidateUsers(queryClient),
  });
}

export function useSetUserRoles() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, roles }: { id: string; roles: string[] }) => api.put('/api/v1/users/{id}/roles', { roles }, { path: { id } }),
    onSuccess: () => invalidateUsers(queryClient),
  });
}

// An administrator's password reset; the user's sessions end.
export function useResetPassword() {
  return useMutation({
    mutationFn: ({ id, password }: { id: string; password: string }) =>
      api.post('/api/v1/users/{id}/password', { new_password: password }, { path: { id } }),
  });
}

export function useRoles(enabled = true) {
  return useQuery({
    queryKey: keys.roles,
    queryFn: ({ signal }) => api.get('/api/v1/roles', { signal }),
    staleTime: 600_000,
    enabled,
  });
}
