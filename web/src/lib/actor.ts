// Who did something, as the audit log and a card's history answer it (actor_id, and for staff
// their login and name): the staff member by name, a system job by its name, an anonymous caller,
// or someone else (a customer; the server names no customer, their name being personal data).
export interface ActorFields {
  actor_id: string;
  actor_login?: string | null;
  actor_name?: string | null;
}

export type Actor =
  | { kind: 'staff'; name: string; login: string }
  | { kind: 'system'; job: string }
  | { kind: 'anonymous' }
  | { kind: 'other'; id: string };

const SYSTEM_PREFIX = 'system:';

export function actorOf({ actor_id, actor_login, actor_name }: ActorFields): Actor {
  if (actor_login) return { kind: 'staff', name: actor_name || actor_login, login: actor_login };
  if (actor_id.startsWith(SYSTEM_PREFIX)) return { kind: 'system', job: actor_id.slice(SYSTEM_PREFIX.length) };
  if (actor_id === 'anonymous' || actor_id === '') return { kind: 'anonymous' };
  return { kind: 'other', id: actor_id };
}
