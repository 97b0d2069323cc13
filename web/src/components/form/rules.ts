// Field rules for antd and antd-mobile forms (rc-field-form's Rule shape) built on the client-side
// checks of lib/validation, with the messages of the common namespace. They run as the user types:
// while a value is still being typed only mistakes that typing on cannot fix are shown (a letter
// in a mobile number, a wrong check character once all 18 characters are there); on leaving the
// field and on submit the whole check runs. The server checks again on submit and its field
// errors replace these (server-errors.ts).
//
// Use them with validateTrigger={TYPING_TRIGGERS} and validateFirst on the form item.
import { i18next } from '../../lib/i18n';
import commonZh from '../../lib/i18n/common.zh-CN';
import {
  checkPartyName,
  normalizeIdNumber,
  normalizeMobile,
  parseCardSerial,
  todayInShanghai,
  type Check,
  type IdType,
} from '../../lib/validation';

type ValidationTexts = (typeof commonZh)['validation'];
export type ValidationKind = keyof ValidationTexts;

export const TYPING_TRIGGERS = ['onChange', 'onBlur'];

// The message for the server/validator `code` of a field of `kind`, in the current language.
export function validationMessage(kind: ValidationKind, code: string, params?: Record<string, unknown>): string {
  const ownTexts: Record<string, string> = commonZh.validation[kind];
  const genericTexts: Record<string, string> = commonZh.validation.generic;
  const key =
    code in ownTexts
      ? `validation.${kind}.${code}`
      : code in genericTexts
        ? `validation.generic.${code}`
        : 'validation.generic.invalid';
  return i18next.t(key as 'validation.generic.invalid', params ?? {});
}

export interface FieldRule {
  validateTrigger?: string | string[];
  validator: (rule: unknown, value: unknown) => Promise<void>;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

type Checker = (value: string) => Check<unknown> | null;

// Rules from a whole check and the test of a value still being typed: `unfinished(value)` true
// means "keep typing" and nothing is shown while the value changes.
export function typingRules(kind: ValidationKind | (() => ValidationKind), check: Checker, unfinished?: (value: string) => boolean): FieldRule[] {
  const run = (value: unknown) => {
    const result = check(text(value));
    if (result && !result.ok) {
      throw new Error(validationMessage(typeof kind === 'function' ? kind() : kind, result.code));
    }
  };
  return [
    {
      validateTrigger: 'onChange',
      validator: async (_rule, value) => {
        if (unfinished?.(text(value))) return;
        run(value);
      },
    },
    { validateTrigger: 'onBlur', validator: async (_rule, value) => run(value) },
  ];
}

const required = (value: string): Check<unknown> | null =>
  value.trim() === '' ? { ok: false, code: 'required' } : null;

export function requiredRule(kind: ValidationKind): FieldRule {
  return {
    validator: async (_rule, value) => {
      const result = required(text(value));
      if (result && !result.ok) throw new Error(validationMessage(kind, result.code));
    },
  };
}

// A field that repeats another (the new password typed twice): required, and equal to the value
// `original()` reads from the other field.
export function repeatRules(kind: ValidationKind, original: () => unknown): FieldRule[] {
  return [
    requiredRule(kind),
    {
      validator: async (_rule, value) => {
        if (value && value !== original()) throw new Error(validationMessage(kind, 'mismatch'));
      },
    },
  ];
}

export function nameRules(): FieldRule[] {
  return typingRules('name', checkPartyName);
}

// The ID number of the document type `idType()` (read when the rule runs, so a change of type
// applies at once).
export function idNumberRules(idType: () => IdType | undefined): FieldRule[] {
  const type = () => idType() ?? 'resident_id';
  return typingRules(
    () => (type() === 'resident_id' ? 'residentId' : 'idNumber'),
    (value) => normalizeIdNumber(type(), value, todayInShanghai()),
    (value) => {
      const v = value.trim();
      if (type() !== 'resident_id') return v.length < 5;
      return v.length < 18 && /^\d*$/.test(v);
    },
  );
}

// A mobile number; empty passes unless `isRequired`.
export function mobileRules(isRequired: boolean): FieldRule[] {
  return typingRules(
    'phone',
    (value) => {
      if (value.trim() === '') return isRequired ? { ok: false, code: 'required' } : null;
      return normalizeMobile(value);
    },
    (value) => {
      const digits = value.replace(/[ -]/g, '').replace(/^\+?86/, '');
      return digits.length < 11 && /^(1([3-9]\d*)?)?$/.test(digits) && value.trim() !== '';
    },
  );
}

export function serialRules(): FieldRule[] {
  return typingRules(
    'serial',
    (value) => required(value) ?? parseCardSerial(value),
    (value) => {
      const v = value.replace(/\s/g, '');
      return v !== '' && v.length < 13 && /^[A-Za-z]{0,4}\d*$/.test(v);
    },
  );
}
