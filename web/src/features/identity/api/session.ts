// The caller and their browser session (CONTRACTS.md "Browser sessions"): an HttpOnly session
// cookie the scripts never see, and a CSRF token cookie the API client sends back as a header.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api/client';
import { isApiError } from '../../../lib/api/errors';
import type { BodyOf, Me } from '../../../lib/api/types';

export const meQueryKey = ['identity', 'me'] as const;

// The caller (GET /api/v1/me). Fails with a 401 ApiError when nobody is logged in.
export function useMe() {
  return useQuery({
    queryKey: meQueryKey,
    queryFn: ({ signal }) => api.get('/api/v1/me', { signal }),
    retry: false,
    staleTime: 60_000,
  });
}

export function isUnauthenticated(error: unknown): boolean {
  return isApiError(error) && error.status === 401;
}

export type Credentials = BodyOf<'/api/v1/web/session', 'post'>;

// Logs in: the server sets the cookies; the answer's user becomes the cached caller.
export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: Credentials) => api.post('/api/v1/web/session', credentials, { session: false }),
    onSuccess: (session) => {
      queryClient.clear();
      queryClient.setQueryData<Me>(meQueryKey, session.user);
    },
  });
}

// Logs out: the server ends the session and clears the cookies; every cached answer goes.
export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await api.delete('/api/v1/web/session', { session: false });
      } catch (error) {
        if (!isUnauthenticated(error)) throw error; // an ended session is logged out already
      }
    },
    onSuccess: () => queryClient.clear(),
  });
}

export type PasswordChange = BodyOf<'/api/v1/me/password', 'post'>;

export function useChangePassword() {
  return useMutation({
    mutationFn: (change: PasswordChange) => api.post('/api/v1/me/password', change),
  });
}
