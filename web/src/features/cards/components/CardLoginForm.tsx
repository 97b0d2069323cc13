// A card's number and password, checked by the server through `check`: the verification (POST
// /api/v1/card-activations/verify) for the activation's first step, here and in the console, or
// the look-up (POST /api/v1/card-activations/lookup) for "my card".
import Button from 'antd-mobile/es/components/button';
import Form from 'antd-mobile/es/components/form';
import Input from 'antd-mobile/es/components/input';
import type { UseMutationResult } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Problem } from '../../../components/Problem';
import { applyServerErrors } from '../../../components/form/server-errors';
import { requiredRule, serialRules, TYPING_TRIGGERS } from '../../../components/form/rules';
import type { ApiError, FieldProblem } from '../../../lib/api/errors';
import { isApiError } from '../../../lib/api/errors';
import { parseCardSerial } from '../../../lib/validation';
import type { CardCredentials } from '../api/activation';

export function CardLoginForm<T>({
  check,
  submitText,
  onVerified,
  onRefused,
}: {
  check: UseMutationResult<T, unknown, CardCredentials>;
  submitText: string;
  onVerified: (credentials: CardCredentials, answer: T) => void;
  // Called with a refusal; returning true means the page explains it itself.
  onRefused?: (error: ApiError, credentials: CardCredentials) => boolean;
}) {
  const { t } = useTranslation('cards');
  const [form] = Form.useForm<CardCredentials>();
  const [rest, setRest] = useState<FieldProblem[]>([]);
  const [explained, setExplained] = useState(false);

  const submit = (values: Partial<CardCredentials>) => {
    const serial = parseCardSerial(values.serial ?? '');
    const credentials = {
      serial: serial.ok ? serial.value : (values.serial ?? '').trim(),
      password: (values.password ?? '').trim(),
    };
    setExplained(false);
    check.mutate(credentials, {
      onSuccess: (answer) => onVerified(credentials, answer),
      onError: (error) => {
        if (!isApiError(error)) return;
        // The card's status is in the detail already; the form does not list it again.
        const others = applyServerErrors(form, error, { fields: ['serial', 'password'] });
        setRest(others.filter((p) => p.field !== 'card_status'));
        setExplained(onRefused?.(error, credentials) ?? false);
      },
    });
  };

  return (
    <>
      <Problem error={explained ? null : check.error} rest={rest} />
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        disabled={check.isPending}
        footer={
          <Button block type="submit" color="primary" size="large" loading={check.isPending}>
            {submitText}
          </Button>
        }
      >
        <Form.Item
          name="serial"
          label={t('login.serial')}
          rules={serialRules()}
          validateTrigger={TYPING_TRIGGERS}
          validateFirst
        >
          <Input
            placeholder={t('login.serialPlaceholder')}
            autoComplete="off"
            autoCapitalize="characters"
           
            clearable
          />
        </Form.Item>
        <Form.Item name="password" label={t('login.password')} rules={[requiredRule('password')]}>
          <Input type="password" placeholder={t('login.passwordPlaceholder')} autoComplete="off" />
        </Form.Item>
      </Form>
    </>
  );
}
