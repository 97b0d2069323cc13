// What a card led to, for its console page: the policy issued on activation and the ledger
// entries of that policy (GET /api/v1/ledger/entries by reference).
import { useQuery } from '@tanstack/react-query';

import { api } from '../../../lib/api/client';
import type { ResponseOf } from '../../../lib/api/types';

export type PolicyView = ResponseOf<'/api/v1/policies/{id}', 'get'>;
export type LedgerEntry = ResponseOf<'/api/v1/ledger/entries', 'get'>['items'][number];

export function usePolicy(id: string | null | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['cards', 'policy', id ?? ''],
    queryFn: ({ signal }) => api.get('/api/v1/policies/{id}', { path: { id: id ?? '' }, signal }),
    enabled: Boolean(id) && enabled,
    retry: false,
  });
}

// The entries posted for one document ("policy", "receipt" ...).
export function useLedgerEntries(refType: 'policy' | 'receipt' | 'recovery', refId: string | null | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['cards', 'ledger', refType, refId ?? ''],
    queryFn: ({ signal }) => api.get('/api/v1/ledger/entries', { query: { ref_type: refType, ref_id: refId ?? '' }, signal }),
    enabled: Boolean(refId) && enabled,
    select: (answer) => answer.items,
    retry: false,
  });
}
