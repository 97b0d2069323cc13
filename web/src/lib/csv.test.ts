import { describe, expect, it } from 'vitest';

import { CSV_BOM, csvLine, toCsv } from './csv';

describe('CSV', () => {
  it('quotes only what needs quoting and doubles quotes', () => {
    expect(csvLine(['ACX00000000018', '库存', 3])).toBe('ACX00000000018,库存,3\r\n');
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines', null, undefined])).toBe('"a,b","say ""hi""","two\nlines",,\r\n');
  });

  it('keeps a spreadsheet from running a cell as a formula, but not a negative number', () => {
    expect(csvLine(['=HYPERLINK("x")', '+1', '@me', '-9900', '-1.5'])).toBe(`"'=HYPERLINK(""x"")",'+1,'@me,-9900,-1.5\r\n`);
  });

  it('starts with a byte order mark and the header', () => {
    const text = toCsv(['卡号', '状态'], [{ s: 'A', st: 'x' }], (r) => [r.s, r.st]);
    expect(text).toBe(`${CSV_BOM}卡号,状态\r\nA,x\r\n`);
  });
});
