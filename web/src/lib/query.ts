// The query cache: server state of both apps lives here, not in global stores.
import { QueryClient } from '@tanstack/react-query';

import { isApiError } from './api/errors';

// Retries only what a retry can fix: no answer at all, or the server saying it is unavailable.
// A 4xx is the caller's mistake and is never retried.
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= 2) return false;
  if (!isApiError(error)) return false;
  return error.status === 0 || error.status === 503;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 30_000, retry: shouldRetry, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}
