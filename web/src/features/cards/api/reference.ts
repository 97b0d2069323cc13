// Reference data the card screens pick from: the organisations of the caller's subtree (issue
// recipients, seller organisations) and the product catalogue (a card type's product and plans).
import { useQuery } from '@tanstack/react-query';

import { api } from '../../../lib/api/client';
import type { ResponseOf } from '../../../lib/api/types';

export type OrgRef = ResponseOf<'/api/v1/orgs', 'get'>['items'][number];
export type ProductRef = ResponseOf<'/api/v1/products', 'get'>['items'][number];

// Every organisation the caller may see (its subtree), all pages read.
export function useSubtreeOrgs(enabled = true) {
  return useQuery({
    queryKey: ['cards', 'ref', 'orgs'],
    enabled,
    staleTime: 300_000,
    queryFn: async ({ signal }) => {
      const all: OrgRef[] = [];
      let after: string | undefined;
      do {
        const page = await api.get('/api/v1/orgs', { query: { limit: 500, after }, signal });
        all.push(...page.items);
        after = page.next_after ?? undefined;
      } while (after);
      return all;
    },
  });
}

export function useProducts() {
  return useQuery({
    queryKey: ['cards', 'ref', 'products'],
    queryFn: ({ signal }) => api.get('/api/v1/products', { signal }),
    select: (answer) => answer.items,
    staleTime: 600_000,
  });
}
