// Stock along the organisation tree: issue (下发登记) and recall (回收登记) by serial range, the
// status details inquiry (状态明细查询), one card and its history, and the card reports.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, getFile, newIdempotencyKey } from '../../../lib/api/client';
import type { BodyOf, QueryOf, ResponseOf } from '../../../lib/api/types';

export type Movement = ResponseOf<'/api/v1/card-movements', 'post'>;
export type MovementRequest = BodyOf<'/api/v1/card-movements', 'post'>;
export type CardInquiry = QueryOf<'/api/v1/cards', 'get'>;
export type CardRow = ResponseOf<'/api/v1/cards', 'get'>['items'][number];
export type CardDetail = ResponseOf<'/api/v1/cards/{serial}', 'get'>;
export type CardHistory = ResponseOf<'/api/v1/cards/{serial}/history', 'get'>;
export type HistoryItem = CardHistory['items'][number];
export type Report = ResponseOf<'/api/v1/card-reports/stock', 'get'>;

// The largest page the inquiry answers.
export const MAX_CARD_PAGE = 500;

export function useMoveCards() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (movement: MovementRequest) =>
      api.post('/api/v1/card-movements', movement, { idempotencyKey: newIdempotencyKey() }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['cards', 'list'] }),
  });
}

// One page of the inquiry.
export function useCards(inquiry: CardInquiry, enabled = true) {
  return useQuery({
    queryKey: ['cards', 'list', inquiry],
    queryFn: ({ signal }) => api.get('/api/v1/cards', { query: inquiry, signal }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

// Every card of an inquiry, page after page; `progress` hears how many have come so far.
export async function fetchAllCards(
  inquiry: CardInquiry,
  progress: (count: number) => void,
  signal?: AbortSignal,
): Promise<CardRow[]> {
  const all: CardRow[] = [];
  let after: string | undefined;
  do {
    const page = await api.get('/api/v1/cards', { query: { ...inquiry, after, limit: MAX_CARD_PAGE }, signal });
    all.push(...page.items);
    progress(all.length);
    after = page.next_after ?? undefined;
  } while (after);
  return all;
}

const cardKey = (serial: string) => ['cards', 'card', serial] as const;

export function useCard(serial: string) {
  return useQuery({
    queryKey: cardKey(serial),
    queryFn: ({ signal }) => api.get('/api/v1/cards/{serial}', { path: { serial }, signal }),
    enabled: serial !== '',
    retry: false,
  });
}

export function useCardHistory(serial: string, enabled = true) {
  return useQuery({
    queryKey: [...cardKey(serial), 'history'],
    queryFn: ({ signal }) => api.get('/api/v1/cards/{serial}/history', { path: { serial }, signal }),
    enabled: serial !== '' && enabled,
    retry: false,
  });
}

export type StockGroup = 'org' | 'type' | 'status';
export type SalesGroup = 'seller' | 'org';
export type ReportRequest =
  | { report: 'stock'; group_by: StockGroup }
  | { report: 'sales'; group_by: SalesGroup; from: string; to: string }
  | { report: 'activations'; from: string; to: string }
  | { report: 'ageing' };

function reportCall(request: ReportRequest, format: 'json' | 'csv') {
  switch (request.report) {
    case 'stock':
      return { path: '/api/v1/card-reports/stock' as const, query: { group_by: request.group_by, format } };
    case 'sales':
      return {
        path: '/api/v1/card-reports/sales' as const,
        query: { group_by: request.group_by, from: request.from, to: request.to, format },
      };
    case 'activations':
      return { path: '/api/v1/card-reports/activations' as const, query: { from: request.from, to: request.to, format } };
    case 'ageing':
      return { path: '/api/v1/card-reports/ageing' as const, query: { format } };
  }
}

// A report's columns and rows; null `request` waits (e.g. for a valid date range).
export function useCardReport(request: ReportRequest | null) {
  return useQuery({
    queryKey: ['cards', 'report', request],
    queryFn: ({ signal }) => {
      const call = reportCall(request as ReportRequest, 'json');
      return api.get(call.path, { query: call.query, signal }) as Promise<Report>;
    },
    enabled: request !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

// The report as the server's CSV file.
export function useReportCsv() {
  return useMutation({
    mutationFn: (request: ReportRequest) => {
      const call = reportCall(request, 'csv');
      return getFile(call.path, `card-${request.report}.csv`, { query: call.query });
    },
  });
}
