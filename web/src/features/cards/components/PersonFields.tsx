// The fields of one person on the activation form (holder, insured or a beneficiary), under the
// form path `prefix`: name, ID document and number (with what a resident ID number says about
// its holder shown at once), birth date and sex for other documents, mobile number. Checked as
// the user types with the server's rules; `ageProblem` adds the age rules of the person's role.
import Form from 'antd-mobile/es/components/form';
import Input from 'antd-mobile/es/components/input';
import Radio from 'antd-mobile/es/components/radio';
import type { FormInstance } from 'antd-mobile/es/components/form';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import {
  idNumberRules,
  mobileRules,
  nameRules,
  requiredRule,
  validationMessage,
  TYPING_TRIGGERS,
  type FieldRule,
} from '../../../components/form/rules';
import type { NamePath } from '../../../components/form/server-errors';
import {
  ageOn,
  ID_TYPES,
  parseIsoDate,
  parseResidentId,
  todayInShanghai,
  type CivilDate,
  type IdType,
} from '../../../lib/validation';
import { isoDate } from '../../../lib/validation';

// What is wrong with a birth date for this person's role, as a message; null when it is fine.
export type AgeProblem = (birth: CivilDate) => string | null;

// The birth date of a person's values: from a resident ID number, or the birth date field.
export function birthDateOf(values: { id_type?: IdType; id_number?: string; birth_date?: string } | undefined): CivilDate | null {
  if (!values) return null;
  if ((values.id_type ?? 'resident_id') === 'resident_id') {
    const parsed = parseResidentId((values.id_number ?? '').trim(), todayInShanghai());
    return parsed.ok ? parsed.value.birthDate : null;
  }
  return values.birth_date ? parseIsoDate(values.birth_date) : null;
}

function ageRule(birthOf: () => CivilDate | null, ageProblem?: AgeProblem): FieldRule[] {
  if (!ageProblem) return [];
  return [
    {
      validator: async () => {
        const birth = birthOf();
        const problem = birth ? ageProblem(birth) : null;
        if (problem) throw new Error(problem);
      },
    },
  ];
}

export function PersonFields({
  form,
  prefix,
  phone,
  ageProblem,
  dependencies = [],
  before,
}: {
  form: FormInstance;
  prefix: NamePath;
  // Whether the mobile number is asked, and whether it must be given.
  phone: 'required' | 'optional' | 'none';
  ageProblem?: AgeProblem;
  // Other fields whose change re-runs this person's checks (e.g. "insured is the holder").
  dependencies?: NamePath[];
  // Fields shown before the name (the relationship).
  before?: ReactNode;
}) {
  const { t } = useTranslation('cards');
  const { t: tc } = useTranslation();
  const path = (name: string): NamePath => [...prefix, name];
  const idType = (): IdType | undefined => form.getFieldValue(path('id_type')) as IdType | undefined;
  const person = () => form.getFieldValue(prefix) as Parameters<typeof birthDateOf>[0];

  return (
    <>
      {before}
      <Form.Item name={path('name')} label={t('details.name')} rules={nameRules()} validateTrigger={TYPING_TRIGGERS} validateFirst>
        <Input placeholder={t('details.namePlaceholder')} autoComplete="off" />
      </Form.Item>
      <Form.Item name={path('id_type')} label={t('details.idType')} initialValue="resident_id" rules={[requiredRule('idType')]}>
        <select className="cards-select">
          {ID_TYPES.map((type) => (
            <option key={type} value={type}>
              {tc(`idType.${type}`)}
            </option>
          ))}
        </select>
      </Form.Item>
      <Form.Item
        name={path('id_number')}
        label={t('details.idNumber')}
        rules={[...idNumberRules(idType), ...ageRule(() => (idType() === 'resident_id' || !idType() ? birthDateOf(person()) : null), ageProblem)]}
        validateTrigger={TYPING_TRIGGERS}
        validateFirst
        dependencies={[path('id_type'), ...dependencies]}
        description={
          <Form.Subscribe to={[path('id_type'), path('id_number')]}>
            {() => <ResidentIdFacts values={person()} />}
          </Form.Subscribe>
        }
      >
        <Input placeholder={t('details.idNumberPlaceholder')} autoComplete="off" />
      </Form.Item>
      <Form.Subscribe to={[path('id_type')]}>
        {() =>
          (idType() ?? 'resident_id') === 'resident_id' ? null : (
            <>
              <Form.Item
                name={path('birth_date')}
                label={t('details.birthDate')}
                dependencies={dependencies}
                rules={[
                  {
                    validator: async (_rule: unknown, value: unknown) => {
                      const text = typeof value === 'string' ? value : '';
                      if (!text) throw new Error(validationMessage('birthDate', 'required'));
                      const date = parseIsoDate(text);
                      if (!date || date.year < 1800 || isoDate(date) > isoDate(todayInShanghai())) {
                        throw new Error(validationMessage('birthDate', 'invalid_date'));
                      }
                    },
                  },
                  ...ageRule(() => birthDateOf(person()), ageProblem),
                ]}
                validateFirst
              >
                <input type="date" className="cards-select" max={isoDate(todayInShanghai())} />
              </Form.Item>
              <Form.Item name={path('sex')} label={t('details.sex')} rules={[requiredRule('sex')]}>
                <Radio.Group>
                  <Radio value="male" className="cards-radio">
                    {tc('sex.male')}
                  </Radio>
                  <Radio value="female" className="cards-radio">
                    {tc('sex.female')}
                  </Radio>
                </Radio.Group>
              </Form.Item>
            </>
          )
        }
      </Form.Subscribe>
      {phone !== 'none' && (
        <Form.Item
          name={path('phone')}
          label={phone === 'required' ? t('details.phone') : t('details.phoneOptional')}
          rules={mobileRules(phone === 'required')}
          validateTrigger={TYPING_TRIGGERS}
          validateFirst
        >
          <Input type="tel" inputMode="tel" placeholder={t('details.phonePlaceholder')} autoComplete="off" />
        </Form.Item>
      )}
    </>
  );
}

// "Born 1990-03-07 · male · 36": what a valid resident ID number says, shown as it is typed.
function ResidentIdFacts({ values }: { values: Parameters<typeof birthDateOf>[0] }) {
  const { t } = useTranslation('cards');
  const { t: tc } = useTranslation();
  if ((values?.id_type ?? 'resident_id') !== 'resident_id') return null;
  const parsed = parseResidentId((values?.id_number ?? '').trim(), todayInShanghai());
  if (!parsed.ok) return null;
  const { birthDate, sex } = parsed.value;
  return (
    <span className="cards-id-facts">
      {t('details.fromId', { date: isoDate(birthDate), sex: tc(`sex.${sex}`), age: ageOn(birthDate, todayInShanghai()) })}
    </span>
  );
}
