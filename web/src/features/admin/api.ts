// The audit log (GET /api/v1/audit-events, paged by sequence number) and the ledger's trial
// balance (GET /api/v1/ledger/trial-balance, head office only).
import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { api } from '../../lib/api/client';
import type { QueryOf, ResponseOf } from '../../lib/api/types';

export type AuditQuery = QueryOf<'/api/v1/audit-events', 'get'>;
export type AuditEvent = ResponseOf<'/api/v1/audit-events', 'get'>['items'][number];
export type TrialBalance = ResponseOf<'/api/v1/ledger/trial-balance', 'get'>;

export function useAuditEvents(query: AuditQuery) {
  return useQuery({
    queryKey: ['admin', 'audit', query],
    queryFn: ({ signal }) => api.get('/api/v1/audit-events', { query, signal }),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function useTrialBalance() {
  return useQuery({
    queryKey: ['admin', 'trial-balance'],
    queryFn: ({ signal }) => api.get('/api/v1/ledger/trial-balance', { signal }),
    retry: false,
  });
}
