// Card types (单证类型) and batches with their one-time password export (the head office's work).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, getFile, newIdempotencyKey } from '../../../lib/api/client';
import type { BodyOf, ResponseOf } from '../../../lib/api/types';

export type CardType = ResponseOf<'/api/v1/card-types/{id}', 'get'>;
export type NewCardType = BodyOf<'/api/v1/card-types', 'post'>;
export type CardBatch = ResponseOf<'/api/v1/card-batches/{id}', 'get'>;
export type NewCardBatch = BodyOf<'/api/v1/card-batches', 'post'>;

export const cardTypesKey = ['cards', 'types'] as const;
const batchesKey = ['cards', 'batches'] as const;

export function useCardTypes() {
  return useQuery({
    queryKey: cardTypesKey,
    queryFn: ({ signal }) => api.get('/api/v1/card-types', { signal }),
    select: (answer) => answer.items,
    staleTime: 60_000,
  });
}

export function useCreateCardType() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (type: NewCardType) => api.post('/api/v1/card-types', type, { idempotencyKey: newIdempotencyKey() }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: cardTypesKey }),
  });
}

// Disables a type (it takes no new batches) or enables it again.
export function useSetCardTypeStatus() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, status }: { id: string; status: CardType['status'] }) =>
      api.patch('/api/v1/card-types/{id}', { status }, { path: { id } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: cardTypesKey }),
  });
}

export function useCardBatches(cardTypeId?: string) {
  return useQuery({
    queryKey: [...batchesKey, cardTypeId ?? ''],
    queryFn: ({ signal }) =>
      api.get('/api/v1/card-batches', { query: { card_type_id: cardTypeId, limit: 200 }, signal }),
    select: (answer) => answer.items,
  });
}

// Creates a batch. Up to 1,000,000 cards in one transaction: a big batch takes a while, and the
// answer comes only when every card is written.
export function useCreateCardBatch() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (batch: NewCardBatch) => api.post('/api/v1/card-batches', batch, { idempotencyKey: newIdempotencyKey() }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: batchesKey }),
  });
}

// The one-time password export: the CSV (serial,password) for the card printer. The server
// refuses a second export (409 batch_already_exported): nobody can produce the passwords again.
export function useExportPasswords() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (batch: CardBatch) =>
      getFile('/api/v1/card-batches/{id}/passwords.csv', `${batch.batch_no}-passwords.csv`, { path: { id: batch.id } }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: batchesKey }),
  });
}
