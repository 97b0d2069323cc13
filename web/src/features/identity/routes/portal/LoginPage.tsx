// Customer login on the portal (demo: "customer"); the session is an HttpOnly cookie.
import Button from 'antd-mobile/es/components/button';
import Form from 'antd-mobile/es/components/form';
import Input from 'antd-mobile/es/components/input';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';

import { Problem } from '../../../../components/Problem';
import { PageHeading } from '../../../../components/layout/PageHeading';
import { applyServerErrors } from '../../../../components/form/server-errors';
import { requiredRule } from '../../../../components/form/rules';
import type { FieldProblem } from '../../../../lib/api/errors';
import { isApiError } from '../../../../lib/api/errors';
import { useLogin, type Credentials } from '../../api/session';

export default function CustomerLoginPage() {
  const { t } = useTranslation('identity');
  const [form] = Form.useForm<Credentials>();
  const login = useLogin();
  const navigate = useNavigate();
  const location = useLocation();
  const [rest, setRest] = useState<FieldProblem[]>([]);
  const state = location.state as { from?: string; sessionEnded?: boolean } | null;

  const submit = (values: Credentials) => {
    login.mutate(values, {
      onSuccess: () => navigate(state?.from ?? '/account', { replace: true }),
      onError: (error) => {
        if (isApiError(error)) setRest(applyServerErrors(form, error, { fields: ['login', 'password'] }));
      },
    });
  };

  return (
    <section>
      <PageHeading title={t('login.customerTitle')} intro={t('login.customerHint')} />
      {state?.sessionEnded && !login.error && <p className="portal-note" role="status">{t('login.sessionEnded')}</p>}
      <Problem error={login.error} rest={rest} />
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        disabled={login.isPending}
        footer={
          <Button block type="submit" color="primary" size="large" loading={login.isPending}>
            {t('login.submit')}
          </Button>
        }
      >
        <Form.Item name="login" label={t('login.login')} rules={[requiredRule('login')]}>
          <Input autoComplete="username" placeholder={t('login.loginPlaceholder')} />
        </Form.Item>
        <Form.Item name="password" label={t('login.password')} rules={[requiredRule('password')]}>
          <Input type="password" autoComplete="current-password" placeholder={t('login.passwordPlaceholder')} />
        </Form.Item>
      </Form>
    </section>
  );
}
