import { describe, expect, it } from 'vitest';

import { waitMinutes } from './lookup';

describe('waitMinutes', () => {
  it('rounds a Retry-After up to whole minutes, at least one', () => {
    expect(waitMinutes(1800)).toBe(30);
    expect(waitMinutes(1801)).toBe(31);
    expect(waitMinutes(59)).toBe(1);
    expect(waitMinutes(0)).toBe(1);
  });

  it('says nothing when the server gave no wait', () => {
    expect(waitMinutes(null)).toBeNull();
    expect(waitMinutes(-1)).toBeNull();
    expect(waitMinutes(Number.NaN)).toBeNull();
  });
});
