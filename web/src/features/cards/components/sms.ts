// The SMS activation message (POST /api/v1/sms/inbound): "JH <卡号> <密码> <姓名> <身份证号>".
import { normalizeIdNumber, parseCardSerial, todayInShanghai, trimText } from '../../../lib/validation';

export const SMS_EXAMPLE = 'JH ACX00000000018 12345678 张三 11010519491231002X';

export interface SmsParts {
  serial?: string;
  password?: string;
  name?: string;
  id_number?: string;
}

// The message for the parts, or null until every part is valid. Spaces inside the name are
// dropped: the server splits the message at spaces.
export function composeSmsMessage(parts: SmsParts, today = todayInShanghai()): string | null {
  const serial = parseCardSerial(parts.serial ?? '');
  const id = normalizeIdNumber('resident_id', parts.id_number ?? '', today);
  const password = trimText(parts.password ?? '');
  const name = trimText(parts.name ?? '').replace(/\s+/g, '');
  if (!serial.ok || !id.ok || !password || /\s/.test(password) || !name) return null;
  return `JH ${serial.value} ${password} ${name} ${id.value}`;
}
