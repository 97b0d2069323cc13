// The SMS gateway simulator (issue 7 §7), while no real SMS gateway is configured: the messages
// the platform sent (GET /api/v1/sms/simulator/messages, phones masked) and a simulated phone that
// sends the platform an inbound SMS and gets its reply (POST /api/v1/sms/simulator/inbound). With
// a real gateway both answer 404 sms_simulator_off.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '../../lib/api/client';
import { isApiError } from '../../lib/api/errors';
import type { BodyOf, ResponseOf } from '../../lib/api/types';

export type SimulatedMessage = ResponseOf<'/api/v1/sms/simulator/messages', 'get'>['items'][number];
export type InboundSms = BodyOf<'/api/v1/sms/simulator/inbound', 'post'>;
export type InboundReply = ResponseOf<'/api/v1/sms/simulator/inbound', 'post'>;

export const SIMULATOR_PAGE_SIZE = 50;
const messagesKey = ['notify', 'simulator', 'messages'] as const;

// Whether `error` says a real gateway is configured (the simulator is off).
export function isSimulatorOff(error: unknown): boolean {
  return isApiError(error) && error.code === 'sms_simulator_off';
}

export function useSimulatorMessages() {
  return useQuery({
    queryKey: messagesKey,
    queryFn: ({ signal }) => api.get('/api/v1/sms/simulator/messages', { query: { limit: SIMULATOR_PAGE_SIZE }, signal }),
    staleTime: 0,
    retry: false,
  });
}

// Sends an SMS from the simulated phone; the list is read again afterwards (the reply is in it).
export function useSimulatorInbound() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (sms: InboundSms) => api.post('/api/v1/sms/simulator/inbound', sms),
    onSettled: () => client.invalidateQueries({ queryKey: messagesKey }),
  });
}
