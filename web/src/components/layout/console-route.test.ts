import { describe, expect, it } from 'vitest';

import { consoleMenu, mayOpen, needsServerPaths } from './console-route';

const routes = [
  { path: '', menu: { group: 'workbench', order: 0 } },
  { path: 'cards/inquiry', permissions: ['card.read'], menu: { group: 'cards', order: 20 } },
  { path: 'cards/types', permissions: ['card.type.manage'], menu: { group: 'cards', order: 10 } },
  { path: 'receipts', permissions: ['card.payment', 'invoice.read'], menu: { group: 'finance', order: 10 } },
  { path: 'cards/history', permissions: ['card.read'] }, // reached from the inquiry, not the menu
  { path: 'password', menu: { group: 'account', order: 10 } },
];
const groups = ['workbench', 'cards', 'finance', 'account'];

describe('the console menu', () => {
  it("shows only the pages the caller's permissions open, grouped and in order", () => {
    const menu = consoleMenu(routes, ['card.read', 'card.type.manage'], groups);
    expect(menu.map((g) => [g.group, g.routes.map((r) => r.path)])).toEqual([
      ['workbench', ['']],
      ['cards', ['cards/types', 'cards/inquiry']],
      ['account', ['password']],
    ]);
  });

  it('opens a page for any one of its permissions', () => {
    expect(consoleMenu(routes, ['invoice.read'], groups).map((g) => g.group)).toEqual(['workbench', 'finance', 'account']);
    expect(mayOpen({ permissions: ['card.payment', 'invoice.read'] }, ['card.payment'])).toBe(true);
    expect(mayOpen({ permissions: ['card.payment'] }, ['card.read'])).toBe(false);
    expect(mayOpen({}, [])).toBe(true);
  });
});

describe('pages of the head office and pages waiting for the server', () => {
  const hq = { path: 'cards/batches', permissions: ['card.batch.create'], headOfficeOnly: true, menu: { group: 'cards', order: 5 } };
  const assisted = {
    path: 'cards/activate',
    permissions: ['card.activate.assist'],
    serverPaths: ['/api/v1/staff/card-activations'],
    menu: { group: 'cards', order: 90 },
  };

  it('offers a head-office page only at the head office', () => {
    expect(mayOpen(hq, ['card.batch.create'], { headOffice: true })).toBe(true);
    expect(mayOpen(hq, ['card.batch.create'], { headOffice: false })).toBe(false);
    expect(mayOpen(hq, ['card.batch.create'])).toBe(false);
    expect(mayOpen(hq, ['card.read'], { headOffice: true })).toBe(false);
  });

  it('hides a page until the server lists every route it needs', () => {
    const perms = ['card.activate.assist'];
    expect(mayOpen(assisted, perms, { serverPaths: null })).toBe(false);
    expect(mayOpen(assisted, perms, { serverPaths: new Set(['/api/v1/cards']) })).toBe(false);
    expect(mayOpen(assisted, perms, { serverPaths: new Set(['/api/v1/staff/card-activations']) })).toBe(true);
    expect(mayOpen(assisted, [], { serverPaths: new Set(['/api/v1/staff/card-activations']) })).toBe(false);
  });

  it('asks for the server routes only for callers who hold the permission', () => {
    expect(needsServerPaths(assisted, ['card.activate.assist'])).toBe(true);
    expect(needsServerPaths(assisted, ['card.read'])).toBe(false);
    expect(needsServerPaths(hq, ['card.batch.create'])).toBe(false);
  });

  it('builds the menu from the whole access', () => {
    const menu = consoleMenu([...routes, hq, assisted], { permissions: ['card.read', 'card.batch.create', 'card.activate.assist'], headOffice: true, serverPaths: new Set() }, groups);
    expect(menu.find((g) => g.group === 'cards')?.routes.map((r) => r.path)).toEqual(['cards/batches', 'cards/inquiry']);
  });
});
