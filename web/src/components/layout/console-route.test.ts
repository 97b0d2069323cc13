import { describe, expect, it } from 'vitest';

import { consoleMenu, mayOpen } from './console-route';

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
