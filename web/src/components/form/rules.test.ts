import { beforeAll, describe, expect, it } from 'vitest';

import { i18next } from '../../lib/i18n';
import commonZh from '../../lib/i18n/common.zh-CN';
import { repeatRules } from './rules';

beforeAll(async () => {
  await i18next.init({ lng: 'zh-CN', defaultNS: 'common', resources: { 'zh-CN': { common: commonZh } } });
});

// Runs every rule on `value` in order, as the form does, and returns the first message or ''.
async function firstError(value: unknown, original: string): Promise<string> {
  for (const rule of repeatRules('newPassword', () => original)) {
    try {
      await rule.validator(undefined, value);
    } catch (error) {
      return (error as Error).message;
    }
  }
  return '';
}

describe('repeatRules', () => {
  it('accepts the same value as the field it repeats', async () => {
    await expect(firstError('Neu-Passwort-2026', 'Neu-Passwort-2026')).resolves.toBe('');
  });

  it('refuses a different value with the mismatch message', async () => {
    await expect(firstError('Neu-Passwort-2027', 'Neu-Passwort-2026')).resolves.toBe('两次输入的新密码不一致');
  });

  it('asks for the value when it is empty, before comparing', async () => {
    await expect(firstError('', 'Neu-Passwort-2026')).resolves.toBe('请输入新密码');
  });
});
