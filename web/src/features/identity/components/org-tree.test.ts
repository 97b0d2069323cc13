import { describe, expect, it } from 'vitest';

import { orgForest } from './org-tree';

describe('orgForest', () => {
  it('hangs each organisation under its parent, the caller’s own at the root, by code', () => {
    const forest = orgForest([
      { id: '3', code: 'BJ02', parent_id: '1' },
      { id: '1', code: 'BJ', parent_id: '0' },
      { id: '2', code: 'BJ01', parent_id: '1' },
      { id: '4', code: 'BJ0101', parent_id: '2' },
    ]);
    expect(forest.map((n) => n.org.code)).toEqual(['BJ']);
    expect(forest[0]?.children.map((n) => n.org.code)).toEqual(['BJ01', 'BJ02']);
    expect(forest[0]?.children[0]?.children.map((n) => n.org.code)).toEqual(['BJ0101']);
  });

  it('keeps every organisation whose parent is missing as a root', () => {
    expect(orgForest([{ id: 'a', code: 'B', parent_id: 'x' }, { id: 'b', code: 'A', parent_id: null }]).map((n) => n.org.code)).toEqual(['A', 'B']);
  });
});
