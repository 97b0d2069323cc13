// Step 3, fill in the insurance information (seed 000): the policyholder, the insured (or "the
// insured is the holder") and the beneficiaries on death, each checked as typed: ID number and its
// check character, mobile number, the holder an adult, the insured's age within the product's.
import Button from 'antd-mobile/es/components/button';
import Checkbox from 'antd-mobile/es/components/checkbox';
import Form from 'antd-mobile/es/components/form';
import Input from 'antd-mobile/es/components/input';
import Radio from 'antd-mobile/es/components/radio';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { PageHeading } from '../../../components/layout/PageHeading';
import { Problem } from '../../../components/Problem';
import { validationMessage } from '../../../components/form/rules';
import { applyServerErrors, partitionServerErrors } from '../../../components/form/server-errors';
import {
  checkBeneficiaryShares,
  checkHolderAdult,
  checkInsurableAge,
  MAX_BENEFICIARIES,
  parseIsoDate,
  RELATIONSHIPS,
  type CivilDate,
  type IdType,
} from '../../../lib/validation';
import { todayInShanghai } from '../../../lib/validation';
import type { CardOffer } from '../api/activation';
import type { DetailsValues } from './activation-model';
import { useActivationFlow } from './ActivationFlow';
import { PersonFields, type AgeProblem } from './PersonFields';

const PERSON_FIELDS = ['name', 'id_type', 'id_number', 'birth_date', 'sex', 'phone'];

// The server fields this form shows.
const SHOWN_FIELDS = [
  ...PERSON_FIELDS.map((f) => `holder.${f}`),
  ...[...PERSON_FIELDS, 'relationship'].map((f) => `insured.${f}`),
  ...[...PERSON_FIELDS, 'relationship', 'share_percent'].map((f) => `beneficiaries[*].${f}`),
];

// Server errors about a birth date or sex read from a resident ID number go to the number's field.
function aliasesFor(values: DetailsValues): Record<string, string> {
  const aliases: Record<string, string> = {};
  const add = (path: string, idType: IdType | undefined) => {
    if ((idType ?? 'resident_id') !== 'resident_id') return;
    aliases[`${path}.birth_date`] = `${path}.id_number`;
    aliases[`${path}.sex`] = `${path}.id_number`;
  };
  add('holder', values.holder?.id_type);
  add('insured', values.insured?.id_type);
  (values.beneficiaries ?? []).forEach((b, i) => add(`beneficiaries[${i}]`, b.id_type));
  return aliases;
}

function insurableAgeProblem(offer: CardOffer, coverStart: CivilDate): AgeProblem {
  const range = offer.insurable_age;
  return (birth) => {
    if (checkInsurableAge(birth, coverStart, range).ok) return null;
    return range.min_age_days !== undefined
      ? validationMessage('birthDate', 'age_not_insurable_days', { min: range.min_age_days, max: range.max_age })
      : validationMessage('birthDate', 'age_not_insurable', { min: range.min_age, max: range.max_age });
  };
}

// `onBack` returns to the plan (the values typed so far kept), `onNext` goes on to the confirmation.
export function DetailsStep({ onBack, onNext }: { onBack: () => void; onNext: () => void }) {
  const { t } = useTranslation('cards');
  const { t: tc } = useTranslation();
  const { draft, update } = useActivationFlow();
  const [form] = Form.useForm<DetailsValues>();
  const [sharesProblem, setSharesProblem] = useState<string | null>(null);
  const offer = draft.offer;
  // The list as stored, new rows included (Form.Subscribe sees only rows whose fields exist).
  const beneficiaries = Form.useWatch(['beneficiaries'], { form, preserve: true }) as DetailsValues['beneficiaries'];

  const coverStart = useMemo(
    () => parseIsoDate(draft.startDate ?? offer?.start_rule.earliest_start ?? '') ?? todayInShanghai(),
    [draft.startDate, offer],
  );
  const insuredAge = useMemo(() => (offer ? insurableAgeProblem(offer, coverStart) : undefined), [offer, coverStart]);
  const holderAge: AgeProblem = (birth) => {
    if (!checkHolderAdult(birth, todayInShanghai()).ok) return validationMessage('birthDate', 'holder_not_adult');
    return form.getFieldValue('insured_is_holder') !== false ? (insuredAge?.(birth) ?? null) : null;
  };

  // The server's refusal of the last attempt: at the fields it names, the rest above the form.
  const serverError = draft.serverError;
  const aliases = useMemo(() => aliasesFor(draft.details), [draft.details]);
  const rest = useMemo(
    () =>
      serverError
        ? partitionServerErrors(serverError, { fields: SHOWN_FIELDS, aliases }).rest.filter(
            (e) => e.field !== 'plan_code' && e.field !== 'start_date',
          )
        : [],
    [serverError, aliases],
  );
  useEffect(() => {
    if (serverError) applyServerErrors(form, serverError, { fields: SHOWN_FIELDS, aliases });
  }, [serverError, aliases, form]);

  if (!offer || !draft.planCode) return null;

  const beneficiaryList = () => (form.getFieldValue('beneficiaries') ?? []) as NonNullable<DetailsValues['beneficiaries']>;
  const addBeneficiary = () => {
    const list = beneficiaryList();
    const used = list.reduce((sum, b) => sum + (Number(b.share_percent) || 0), 0);
    form.setFieldValue('beneficiaries', [
      ...list,
      { id_type: 'resident_id', share_percent: Math.max(0, 100 - used) || undefined },
    ]);
  };
  const removeBeneficiary = (index: number) => {
    form.setFieldValue(
      'beneficiaries',
      beneficiaryList().filter((_, i) => i !== index),
    );
  };

  const finish = (values: DetailsValues) => {
    if (values.beneficiary_mode === 'named') {
      const shares = (values.beneficiaries ?? []).map((b) => Number(b.share_percent));
      const check = checkBeneficiaryShares(shares);
      if (!check.ok) {
        setSharesProblem(validationMessage('share', check.code));
        return;
      }
    }
    setSharesProblem(null);
    update({ details: values, serverError: undefined });
    onNext();
  };

  return (
    <section>
      <PageHeading title={t('details.title')} />
      <Problem error={rest.length > 0 ? draft.serverError : null} rest={rest} />
      <Form
        form={form}
        layout="vertical"
        initialValues={draft.details}
        onFinish={finish}
        footer={
          <div className="cards-actions-row">
            <Button
              onClick={() => {
                update({ details: form.getFieldsValue(true) as DetailsValues });
                onBack();
              }}
              size="large"
            >
              {tc('actions.back')}
            </Button>
            <Button type="submit" color="primary" size="large" className="cards-grow">
              {t('details.review')}
            </Button>
          </div>
        }
      >
        <Form.Header>
          <h2 className="cards-section">{t('details.holder')}</h2>
        </Form.Header>
        <PersonFields form={form} prefix={['holder']} phone="required" ageProblem={holderAge} dependencies={[['insured_is_holder']]} />

        <Form.Header>
          <h2 className="cards-section">{t('details.insured')}</h2>
        </Form.Header>
        <Form.Item name="insured_is_holder" valuePropName="checked">
          <Checkbox>{t('details.insuredIsHolder')}</Checkbox>
        </Form.Item>
        <Form.Subscribe to={['insured_is_holder']}>
          {({ insured_is_holder }) =>
            insured_is_holder === false ? (
              <PersonFields
                form={form}
                prefix={['insured']}
                phone="optional"
                ageProblem={insuredAge}
                before={
                  <Form.Item
                    name={['insured', 'relationship']}
                    label={t('details.insuredRelationship')}
                    rules={[{ required: true, message: validationMessage('generic', 'required') }]}
                  >
                    <select className="cards-select">
                      <option value="" />
                      {RELATIONSHIPS.filter((r) => r !== 'self').map((r) => (
                        <option key={r} value={r}>
                          {tc(`relationship.${r}`)}
                        </option>
                      ))}
                    </select>
                  </Form.Item>
                }
              />
            ) : null
          }
        </Form.Subscribe>

        <Form.Header>
          <h2 className="cards-section">{t('details.beneficiaries')}</h2>
        </Form.Header>
        <Form.Item name="beneficiary_mode">
          <Radio.Group
            onChange={(mode) => {
              if (mode === 'named' && beneficiaryList().length === 0) {
                form.setFieldValue('beneficiaries', [{ id_type: 'resident_id', share_percent: 100 }]);
              }
            }}
          >
            <Radio value="legal" className="cards-radio">
              {t('details.beneficiaryLegal')}
            </Radio>
            <Radio value="named" className="cards-radio">
              {t('details.beneficiaryNamed')}
            </Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Subscribe to={['beneficiary_mode']}>
          {({ beneficiary_mode }) =>
            beneficiary_mode === 'named' ? (
              <>
                {(beneficiaries ?? []).map((_: unknown, index: number) => (
                  <div key={index} className="cards-beneficiary">
                    <div className="cards-beneficiary-header">
                      <h3>{t('details.beneficiary', { n: index + 1 })}</h3>
                      <button type="button" className="cards-link-button" onClick={() => removeBeneficiary(index)}>
                        {t('details.removeBeneficiary', { n: index + 1 })}
                      </button>
                    </div>
                    <PersonFields
                      form={form}
                      prefix={['beneficiaries', index]}
                      phone="none"
                      before={
                        <>
                          <Form.Item
                            name={['beneficiaries', index, 'relationship']}
                            label={t('details.beneficiaryRelationship')}
                            rules={[{ required: true, message: validationMessage('generic', 'required') }]}
                          >
                            <select className="cards-select">
                              <option value="" />
                              {RELATIONSHIPS.map((r) => (
                                <option key={r} value={r}>
                                  {tc(`relationship.${r}`)}
                                </option>
                              ))}
                            </select>
                          </Form.Item>
                          <Form.Item
                            name={['beneficiaries', index, 'share_percent']}
                            label={t('details.share')}
                            rules={[
                              {
                                validator: async (_rule: unknown, value: unknown) => {
                                  const n = Number(value);
                                  if (value === undefined || value === '') {
                                    throw new Error(validationMessage('share', 'required'));
                                  }
                                  if (!Number.isInteger(n) || n < 1 || n > 100) {
                                    throw new Error(validationMessage('share', 'out_of_range'));
                                  }
                                },
                              },
                            ]}
                          >
                            <Input type="number" inputMode="numeric" min={1} max={100} />
                          </Form.Item>
                        </>
                      }
                    />
                  </div>
                ))}
                {(beneficiaries ?? []).length < MAX_BENEFICIARIES && (
                  <Button fill="outline" block onClick={addBeneficiary} className="cards-add">
                    {t('details.addBeneficiary')}
                  </Button>
                )}
                <p className={sharesProblem ? 'cards-error' : 'cards-hint'} role={sharesProblem ? 'alert' : undefined}>
                  {sharesProblem ??
                    t('details.sharesTotal', {
                      total: (beneficiaries ?? []).reduce(
                        (sum: number, b: { share_percent?: number | string }) => sum + (Number(b?.share_percent) || 0),
                        0,
                      ),
                    })}
                </p>
              </>
            ) : null
          }
        </Form.Subscribe>
      </Form>
    </section>
  );
}
