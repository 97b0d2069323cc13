// Change one's own password on the portal.
import Button from 'antd-mobile/es/components/button';
import Form from 'antd-mobile/es/components/form';
import Input from 'antd-mobile/es/components/input';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Problem } from '../../../../components/Problem';
import { PageHeading } from '../../../../components/layout/PageHeading';
import { applyServerErrors } from '../../../../components/form/server-errors';
import { repeatRules, requiredRule } from '../../../../components/form/rules';
import type { FieldProblem } from '../../../../lib/api/errors';
import { isApiError } from '../../../../lib/api/errors';
import { useChangePassword, type PasswordChange } from '../../api/session';

type Values = PasswordChange & { repeat: string };

export default function PortalPasswordPage() {
  const { t } = useTranslation('identity');
  const [form] = Form.useForm<Values>();
  const change = useChangePassword();
  const [rest, setRest] = useState<FieldProblem[]>([]);

  const submit = ({ current_password, new_password }: Values) => {
    change.mutate(
      { current_password, new_password },
      {
        onSuccess: () => form.resetFields(),
        onError: (error) => {
          if (isApiError(error)) setRest(applyServerErrors(form, error, { fields: ['current_password', 'new_password'] }));
        },
      },
    );
  };

  return (
    <section>
      <PageHeading title={t('password.title')} />
      {change.isSuccess && (
        <p className="portal-note" role="status">
          {t('password.done')}
        </p>
      )}
      <Problem error={change.error} rest={rest} />
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        disabled={change.isPending}
        footer={
          <Button block type="submit" color="primary" size="large" loading={change.isPending}>
            {t('password.submit')}
          </Button>
        }
      >
        <Form.Item name="current_password" label={t('password.current')} rules={[requiredRule('password')]}>
          <Input type="password" autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="new_password" label={t('password.new')} help={t('password.newHint')} rules={[requiredRule('newPassword')]}>
          <Input type="password" autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="repeat"
          label={t('password.repeat')}
          dependencies={['new_password']}
          rules={repeatRules('newPassword', () => form.getFieldValue('new_password'))}
        >
          <Input type="password" autoComplete="new-password" />
        </Form.Item>
      </Form>
    </section>
  );
}
