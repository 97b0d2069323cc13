// Paging through a list the server pages by cursor ("next_after" of one page is "after" of the
// next): the cursors of the pages seen so far, so "previous" goes back without the server
// paging backwards.
import { useCallback, useMemo, useState } from 'react';

// The cursors of the pages opened, first page first (its cursor is undefined).
export type CursorStack = readonly (string | undefined)[];

export const FIRST_PAGE: CursorStack = [undefined];

export function nextPage(stack: CursorStack, nextAfter: string | null | undefined): CursorStack {
  return nextAfter ? [...stack, nextAfter] : stack;
}

export function previousPage(stack: CursorStack): CursorStack {
  return stack.length > 1 ? stack.slice(0, -1) : stack;
}

export interface CursorPaging {
  // The cursor of the page on screen.
  after: string | undefined;
  // 1 for the first page.
  page: number;
  hasPrevious: boolean;
  next: (nextAfter: string | null | undefined) => void;
  previous: () => void;
  // Back to the first page (new filters).
  reset: () => void;
}

export function useCursorPaging(): CursorPaging {
  const [stack, setStack] = useState<CursorStack>(FIRST_PAGE);
  const next = useCallback((nextAfter: string | null | undefined) => setStack((s) => nextPage(s, nextAfter)), []);
  const previous = useCallback(() => setStack(previousPage), []);
  const reset = useCallback(() => setStack(FIRST_PAGE), []);
  return useMemo(
    () => ({ after: stack.at(-1), page: stack.length, hasPrevious: stack.length > 1, next, previous, reset }),
    [stack, next, previous, reset],
  );
}
