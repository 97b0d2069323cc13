// Which routes the server has: the paths of its OpenAPI document. Pages built against a contract
// route the server may not have yet (CONTRACTS.md) are offered only once it is listed.
import { api } from './client';

export const serverPathsQueryKey = ['server', 'openapi-paths'] as const;

export async function fetchServerPaths(signal?: AbortSignal): Promise<ReadonlySet<string>> {
  const document = (await api.get('/openapi.json', { signal })) as unknown as { paths?: Record<string, unknown> };
  return new Set(Object.keys(document.paths ?? {}));
}
