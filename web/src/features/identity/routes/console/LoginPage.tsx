// Staff login of the console: login name and password; the session lives in an HttpOnly cookie.
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';

import { Problem } from '../../../../components/Problem';
import { LanguageSwitch } from '../../../../components/layout/LanguageSwitch';
import { DocumentTitle } from '../../../../components/layout/DocumentTitle';
import { applyServerErrors } from '../../../../components/form/server-errors';
import { requiredRule } from '../../../../components/form/rules';
import type { FieldProblem } from '../../../../lib/api/errors';
import { isApiError } from '../../../../lib/api/errors';
import { useLogin, type Credentials } from '../../api/session';

export default function ConsoleLoginPage() {
  const { t } = useTranslation('identity');
  const { t: tc } = useTranslation();
  const [form] = Form.useForm<Credentials>();
  const login = useLogin();
  const navigate = useNavigate();
  const location = useLocation();
  const [rest, setRest] = useState<FieldProblem[]>([]);
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const sessionEnded = (location.state as { sessionEnded?: boolean } | null)?.sessionEnded === true;

  const submit = (values: Credentials) => {
    login.mutate(values, {
      onSuccess: () => navigate(from, { replace: true }),
      onError: (error) => {
        if (isApiError(error)) setRest(applyServerErrors(form, error, { fields: ['login', 'password'] }));
      },
    });
  };

  return (
    <main className="console-login">
      <DocumentTitle title={t('login.staffTitle')} app={tc('consoleName')} />
      <div className="console-login-language">
        <LanguageSwitch />
      </div>
      <Card className="console-login-card">
        <Typography.Title level={1} className="console-login-title">
          {tc('consoleName')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('login.subtitle')}</Typography.Paragraph>
        {sessionEnded && !login.error && (
          <Alert type="warning" showIcon role="status" message={t('login.sessionEnded')} className="console-login-notice" />
        )}
        <Problem error={login.error} rest={rest} />
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} disabled={login.isPending}>
          <Form.Item name="login" label={t('login.login')} rules={[requiredRule('login')]}>
            <Input autoComplete="username" placeholder={t('login.loginPlaceholder')} autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[requiredRule('password')]}>
            <Input.Password autoComplete="current-password" placeholder={t('login.passwordPlaceholder')} />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={login.isPending}>
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
