// Card activation without a login (seed 000): card login verification, then activation issuing
// the policy. Both are public routes; the server throttles wrong passwords per card and client.
import { useMutation, type UseMutationResult } from '@tanstack/react-query';

import { api } from '../../../lib/api/client';
import type { BodyOf, ResponseOf } from '../../../lib/api/types';
import { shouldRetry } from '../../../lib/query';

export type CardCredentials = BodyOf<'/api/v1/card-activations/verify', 'post'>;
// What a card offers: product, plans with coverages, premium, term, start rule, insurable ages.
export type CardOffer = ResponseOf<'/api/v1/card-activations/verify', 'post'>;
export type CardPlan = CardOffer['plans'][number];
export type Coverage = CardPlan['coverages'][number];
export type ActivationRequest = BodyOf<'/api/v1/card-activations', 'post'>;
export type PartyInput = ActivationRequest['holder'];
export type InsuredInput = NonNullable<ActivationRequest['insured']>;
export type BeneficiaryInput = NonNullable<ActivationRequest['beneficiaries']>[number];
// The issued policy.
export type Activation = ResponseOf<'/api/v1/card-activations', 'post'>;
// What staff enter for a holder: the same, and the channel it came through.
export type StaffActivationRequest = BodyOf<'/api/v1/staff/card-activations', 'post'>;
export type AssistChannel = StaffActivationRequest['channel'];
export const ASSIST_CHANNELS: readonly AssistChannel[] = ['phone', 'counter'];
// A card's status and, once activated, its policy (masked), as the look-up answers.
export type CardLookup = ResponseOf<'/api/v1/card-activations/lookup', 'post'>;
export type LookupPolicy = NonNullable<CardLookup['policy']>;
// What a policy screen shows: the activation's answer or the look-up's policy.
export type PolicyShown = Pick<
  Activation,
  'policy_no' | 'start_date' | 'end_date' | 'product' | 'plan' | 'premium_fen' | 'parties' | 'coverages'
> & { issued_at?: string };

// One activation attempt: the request and the key that makes its retries one request.
export interface ActivationCall {
  request: ActivationRequest;
  idempotencyKey: string;
}
export type ActivationMutation = UseMutationResult<Activation, unknown, ActivationCall>;

// Card login verification: 200 with the offer; 400 (serial format or check digit), 403
// invalid_card_credentials, 409 card_not_activatable (errors[0].code names the card's status),
// 429 too_many_attempts as ApiError.
export function useVerifyCard() {
  return useMutation({
    mutationFn: (credentials: CardCredentials) => api.post('/api/v1/card-activations/verify', credentials),
  });
}

// Activates the card. `idempotencyKey` stays the same for the same request, so a retry after a
// lost answer returns the first policy instead of failing on an activated card.
export function useActivateCard(): ActivationMutation {
  return useMutation({
    mutationFn: ({ request, idempotencyKey }: { request: ActivationRequest; idempotencyKey: string }) =>
      api.post('/api/v1/card-activations', request, { idempotencyKey }),
    retry: shouldRetry,
  });
}

// Staff activate a card for its holder, who reads out the card's number and password on the
// customer-service line (`phone`) or at a counter; the server records the channel and the staff
// member. The same answers as the holder's activation; the card must be in the caller's subtree.
export function useStaffActivateCard(channel: AssistChannel): ActivationMutation {
  return useMutation({
    mutationFn: ({ request, idempotencyKey }: ActivationCall) =>
      api.post('/api/v1/staff/card-activations', { ...request, channel }, { idempotencyKey }),
    retry: shouldRetry,
  });
}

// The card's status and its policy, by number and password; counted against guessing like the
// verification (a wrong password is 403 invalid_card_credentials, a locked card 429 with
// Retry-After).
export function useLookupCard() {
  return useMutation({
    mutationFn: (credentials: CardCredentials) => api.post('/api/v1/card-activations/lookup', credentials),
  });
}

// The policy's coverages as issued. The answer declares them as plain objects; they are the
// plan's coverages (the same fields as in the offer), so those that have the fields are kept.
export function policyCoverages(policy: Pick<PolicyShown, 'coverages'>): Coverage[] {
  const list: unknown[] = policy.coverages ?? [];
  return list.filter((c): c is Coverage => {
    if (typeof c !== 'object' || c === null) return false;
    const v = c as Record<string, unknown>;
    return typeof v.code === 'string' && typeof v.name_zh === 'string';
  });
}
