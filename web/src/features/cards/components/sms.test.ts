import { describe, expect, it } from 'vitest';

import { parseCardSerial } from '../../../lib/validation';
import { composeSmsMessage, SMS_EXAMPLE } from './sms';

const TODAY = { year: 2026, month: 12, day: 2 };

describe('the SMS activation message', () => {
  it('is written in the server format with the card number and ID number normalised', () => {
    expect(
      composeSmsMessage(
        { serial: ' acx00000000018', password: ' 12345678 ', name: '张 三', id_number: '11010519491231002x' },
        TODAY,
      ),
    ).toBe('JH ACX00000000018 12345678 张三 11010519491231002X');
  });

  it('is not written while a part is missing or wrong', () => {
    const parts = { serial: 'ACX00000000018', password: '12345678', name: '张三', id_number: '11010519491231002X' };
    expect(composeSmsMessage({ ...parts, serial: 'ACX00000000015' }, TODAY)).toBeNull(); // check digit
    expect(composeSmsMessage({ ...parts, id_number: '110105194912310021' }, TODAY)).toBeNull();
    expect(composeSmsMessage({ ...parts, password: '' }, TODAY)).toBeNull();
    expect(composeSmsMessage({ ...parts, password: '1234 5678' }, TODAY)).toBeNull();
    expect(composeSmsMessage({ ...parts, name: ' ' }, TODAY)).toBeNull();
  });

  it('shows an example a holder could really send', () => {
    const [keyword, serial, password, name, id] = SMS_EXAMPLE.split(' ');
    expect(keyword).toBe('JH');
    expect(parseCardSerial(serial ?? '').ok).toBe(true);
    expect(composeSmsMessage({ serial, password, name, id_number: id }, TODAY)).toBe(SMS_EXAMPLE);
  });
});
