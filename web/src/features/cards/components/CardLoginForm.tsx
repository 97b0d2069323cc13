// A card's number and password, verified by the server (POST /api/v1/card-activations/verify).
// Used by the activation's first step and by the card look-up.
import Button from 'antd-mobile/es/components/button';
import Form from 'antd-mobile/es/components/form';
import Input from 'antd-mobile/es/components/input';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Problem } from '../../../components/Problem';
import { applyServerErrors } from '../../../components/form/server-errors';
import { requiredRule, serialRules, TYPING_TRIGGERS } from '../../../components/form/rules';
import type { ApiError, FieldProblem } from '../../../lib/api/errors';
import { isApiError } from '../../../lib/api/errors';
import { parseCardSerial } from '../../../lib/validation';
import { useVerifyCard, type CardCredentials, type CardOffer } from '../api/activation';

export function CardLoginForm({
  submitText,
  onVerified,
  onRefused,
}: {
  submitText: string;
  onVerified: (credentials: CardCredentials, offer: CardOffer) => void;
  // Called with a refusal; returning true means the page explains it itself.
  onRefused?: (error: ApiError, credentials: CardCredentials) => boolean;
}) {
  const { t } = useTranslation('cards');
  const [form] = Form.useForm<CardCredentials>();
  const verify = useVerifyCard();
  const [rest, setRest] = useState<FieldProblem[]>([]);
  const [explained, setExplained] = useState(false);

  const submit = (values: Partial<CardCredentials>) => {
    const serial = parseCardSerial(values.serial ?? '');
    const credentials = {
      serial: serial.ok ? serial.value : (values.serial ?? '').trim(),
      password: (values.password ?? '').trim(),
    };
    setExplained(false);
    verify.mutate(credentials, {
      onSuccess: (offer) => onVerified(credentials, offer),
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
      <Problem error={explained ? null : verify.error} rest={rest} />
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        disabled={verify.isPending}
        footer={
          <Button block type="submit" color="primary" size="large" loading={verify.isPending}>
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
