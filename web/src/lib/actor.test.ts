import { describe, expect, it } from 'vitest';

import { actorOf } from './actor';

describe('actorOf', () => {
  it('names a member of staff by name and login', () => {
    expect(actorOf({ actor_id: '01J0ABC', actor_login: 'doc.bj01', actor_name: '朝阳支公司单证管理员' })).toEqual({
      kind: 'staff',
      name: '朝阳支公司单证管理员',
      login: 'doc.bj01',
    });
    // A name the server left out (never for staff today): the login stands in.
    expect(actorOf({ actor_id: '01J0ABC', actor_login: 'doc.bj01', actor_name: null })).toMatchObject({ name: 'doc.bj01' });
  });

  it('tells system jobs, anonymous callers and others apart', () => {
    expect(actorOf({ actor_id: 'system:card-expiry', actor_login: null })).toEqual({ kind: 'system', job: 'card-expiry' });
    expect(actorOf({ actor_id: 'anonymous' })).toEqual({ kind: 'anonymous' });
    expect(actorOf({ actor_id: '01J0CUSTOMER', actor_login: null, actor_name: null })).toEqual({ kind: 'other', id: '01J0CUSTOMER' });
  });
});
