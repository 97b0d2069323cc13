// The state of one card activation across its four steps (card login, plan, details, confirm)
// and its result. It lives in memory only: the card password and the holder's personal data are
// never written to browser storage, so a reload starts again at the card login.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

import type { ApiError } from '../../../lib/api/errors';
import { newIdempotencyKey } from '../../../lib/api/client';
import type { Activation, CardCredentials, CardOffer } from '../api/activation';
import { EMPTY_DETAILS, type DetailsValues } from './activation-model';

export interface ActivationDraft {
  credentials?: CardCredentials;
  offer?: CardOffer;
  planCode?: string;
  startDate?: string;
  details: DetailsValues;
  // The key of the activation request being sent; a new one whenever the request changes.
  idempotencyKey: string;
  // The server's refusal of the last activation attempt, shown on the step whose fields it names.
  serverError?: ApiError;
  result?: Activation;
}

interface ActivationFlow {
  draft: ActivationDraft;
  update: (change: Partial<ActivationDraft>) => void;
  // Starts over with a verified card.
  start: (credentials: CardCredentials, offer: CardOffer) => void;
  reset: () => void;
}

const FlowContext = createContext<ActivationFlow | null>(null);

function emptyDraft(): ActivationDraft {
  return { details: EMPTY_DETAILS, idempotencyKey: newIdempotencyKey() };
}

export function ActivationFlowProvider({ children }: { children: ReactNode }) {
  const [draft, setDraft] = useState<ActivationDraft>(emptyDraft);
  const update = useCallback((change: Partial<ActivationDraft>) => {
    setDraft((current) => {
      const next = { ...current, ...change };
      // Changing what will be sent makes it a different request.
      const changesRequest = ['credentials', 'planCode', 'startDate', 'details'].some((k) => k in change);
      return changesRequest && !('idempotencyKey' in change) ? { ...next, idempotencyKey: newIdempotencyKey() } : next;
    });
  }, []);
  const start = useCallback((credentials: CardCredentials, offer: CardOffer) => {
    setDraft({ ...emptyDraft(), credentials, offer, planCode: offer.default_plan_code ?? offer.plans[0]?.code });
  }, []);
  const reset = useCallback(() => setDraft(emptyDraft()), []);
  const value = useMemo(() => ({ draft, update, start, reset }), [draft, update, start, reset]);
  return <FlowContext.Provider value={value}>{children}</FlowContext.Provider>;
}

export function useActivationFlow(): ActivationFlow {
  const flow = useContext(FlowContext);
  if (!flow) throw new Error('useActivationFlow outside ActivationFlowProvider');
  return flow;
}
