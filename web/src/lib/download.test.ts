import { describe, expect, it } from 'vitest';

import { fileNameOf } from './download';

describe('fileNameOf', () => {
  it.each([
    ['attachment; filename="CB20261201-0001-passwords.csv"', 'CB20261201-0001-passwords.csv'],
    ['inline; filename=invoice-INV1.pdf', 'invoice-INV1.pdf'],
    ["attachment; filename*=UTF-8''%E5%BA%93%E5%AD%98.csv; filename=\"stock.csv\"", '库存.csv'],
    ['attachment; filename="../../etc/passwd"', 'fallback.csv'],
    ['attachment', 'fallback.csv'],
    [null, 'fallback.csv'],
  ])('%s -> %s', (header, name) => {
    expect(fileNameOf(header, 'fallback.csv')).toBe(name);
  });
});
