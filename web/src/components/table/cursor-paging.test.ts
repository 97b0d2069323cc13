import { describe, expect, it } from 'vitest';

import { FIRST_PAGE, nextPage, previousPage } from './cursor-paging';

describe('cursor paging', () => {
  it('goes forward with the next cursor and back to the cursors seen', () => {
    let stack = FIRST_PAGE;
    stack = nextPage(stack, 'ACX00000000100');
    stack = nextPage(stack, 'ACX00000000200');
    expect(stack).toEqual([undefined, 'ACX00000000100', 'ACX00000000200']);
    stack = previousPage(stack);
    expect(stack.at(-1)).toBe('ACX00000000100');
    stack = previousPage(previousPage(stack));
    expect(stack).toEqual([undefined]);
  });

  it('stays on the last page when there is no next cursor', () => {
    expect(nextPage(FIRST_PAGE, null)).toBe(FIRST_PAGE);
    expect(nextPage(FIRST_PAGE, '')).toBe(FIRST_PAGE);
  });
});
