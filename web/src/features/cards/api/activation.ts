// Card activation without a login (seed 000): card login verification, then activation issuing
// the policy. Both are public routes; the server throttles wrong passwords per card and client.
import { useMutation } from '@tanstack/react-query';

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
export function useActivateCard() {
  return useMutation({
    mutationFn: ({ request, idempotencyKey }: { request: ActivationRequest; idempotencyKey: string }) =>
      api.post('/api/v1/card-activations', request, { idempotencyKey }),
    retry: shouldRetry,
  });
}

// The policy's coverages as issued. The answer declares them as plain objects; they are the
// plan's coverages (the same fields as in the offer), so those that have the fields are kept.
export function policyCoverages(activation: Activation): Coverage[] {
  const list: unknown[] = activation.coverages ?? [];
  return list.filter((c): c is Coverage => {
    if (typeof c !== 'object' || c === null) return false;
    const v = c as Record<string, unknown>;
    return typeof v.code === 'string' && typeof v.name_zh === 'string';
  });
}
