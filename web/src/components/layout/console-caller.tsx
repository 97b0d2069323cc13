// The logged-in staff member as the console's pages see them: who, where in the organisation
// tree, and what they may do. The console app provides it (from GET /api/v1/me and the caller's
// organisation); pages read it to offer only what the caller can do. The server decides again on
// every call: this only keeps the screens from offering what would be refused.
import { createContext, useContext } from 'react';

export type OrgLevel = 'head_office' | 'branch' | 'institution' | 'outlet';

export interface ConsoleCaller {
  id: string;
  login: string;
  displayName: string;
  org: { id: string; code: string; name: string; level: OrgLevel | null } | null;
  roles: readonly string[];
  permissions: readonly string[];
  // Works at the root of the organisation tree (some card and ledger work is the head office's).
  headOffice: boolean;
}

const CallerContext = createContext<ConsoleCaller | null>(null);

export const ConsoleCallerProvider = CallerContext.Provider;

// The caller; only inside the console's layout.
export function useConsoleCaller(): ConsoleCaller {
  const caller = useContext(CallerContext);
  if (!caller) throw new Error('useConsoleCaller outside the console layout');
  return caller;
}

// Whether the caller holds `permission`.
export function useCan(): (permission: string) => boolean {
  const caller = useConsoleCaller();
  return (permission) => caller.permissions.includes(permission);
}
