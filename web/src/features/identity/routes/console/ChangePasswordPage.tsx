// Change one's own password (POST /api/v1/me/password); the server ends the caller's other sessions.
import { Alert, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Problem } from '../../../../components/Problem';
import { ConsolePage } from '../../../../components/layout/ConsolePage';
import { applyServerErrors } from '../../../../components/form/server-errors';
import { repeatRules, requiredRule } from '../../../../components/form/rules';
import type { FieldProblem } from '../../../../lib/api/errors';
import { isApiError } from '../../../../lib/api/errors';
import { useChangePassword, type PasswordChange } from '../../api/session';

type Values = PasswordChange & { repeat: string };

export default function ChangePasswordPage() {
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
          if (isApiError(error)) {
            setRest(applyServerErrors(form, error, { fields: ['current_password', 'new_password'] }));
          }
        },
      },
    );
  };

  return (
    <ConsolePage title={t('password.title')}>
      <Card style={{ maxWidth: 520 }}>
        {change.isSuccess && <Alert type="success" showIcon message={t('password.done')} role="status" />}
        <Problem error={change.error} rest={rest} />
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} disabled={change.isPending}>
          <Form.Item name="current_password" label={t('password.current')} rules={[requiredRule('password')]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            name="new_password"
            label={t('password.new')}
            extra={t('password.newHint')}
            rules={[requiredRule('newPassword')]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="repeat"
            label={t('password.repeat')}
            dependencies={['new_password']}
            rules={repeatRules('newPassword', () => form.getFieldValue('new_password'))}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={change.isPending}>
            {t('password.submit')}
          </Button>
        </Form>
      </Card>
    </ConsolePage>
  );
}
