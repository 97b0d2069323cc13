// The customer's own account: who is logged in (personal data masked by the server), logout and
// the way to change the password.
import Button from 'antd-mobile/es/components/button';
import List from 'antd-mobile/es/components/list';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';

import { DateText } from '../../../../components/DateText';
import { Masked } from '../../../../components/Masked';
import { Problem } from '../../../../components/Problem';
import { PageHeading } from '../../../../components/layout/PageHeading';
import { isUnauthenticated, useLogout, useMe } from '../../api/session';
import { RoleName } from '../../components/RoleName';

export default function AccountPage() {
  const { t } = useTranslation('identity');
  const { t: tc } = useTranslation();
  const me = useMe();
  const logout = useLogout();
  const navigate = useNavigate();
  const location = useLocation();

  if (me.isPending) return <p className="portal-loading">{tc('loading')}</p>;
  if (me.isError) {
    if (isUnauthenticated(me.error)) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
    return <Problem error={me.error} />;
  }
  const user = me.data;
  return (
    <section>
      <PageHeading title={t('me.accountTitle')} intro={t('me.welcome', { name: user.display_name })} />
      <List>
        <List.Item extra={user.display_name}>{t('me.displayName')}</List.Item>
        <List.Item extra={user.login}>{t('me.login')}</List.Item>
        {user.id_number && (
          <List.Item extra={<Masked value={user.id_number} />}>{t('me.idNumber')}</List.Item>
        )}
        {user.phone && <List.Item extra={<Masked value={user.phone} />}>{t('me.phone')}</List.Item>}
        {user.org && <List.Item extra={`${user.org.name ?? ''}`}>{t('me.organisation')}</List.Item>}
        <List.Item
          extra={user.roles.map((r, i) => (
            <span key={r}>
              {i > 0 && '、'}
              <RoleName code={r} />
            </span>
          ))}
        >
          {t('me.roles')}
        </List.Item>
        {user.created_at && (
          <List.Item extra={<DateText value={user.created_at} />}>{t('me.since')}</List.Item>
        )}
      </List>
      <div className="cards-actions">
        <Button block size="large" onClick={() => navigate('/account/password')}>
          {t('password.title')}
        </Button>
        <Button
          block
          size="large"
          color="danger"
          fill="outline"
          loading={logout.isPending}
          onClick={() => logout.mutate(undefined, { onSuccess: () => navigate('/', { replace: true }) })}
        >
          {tc('actions.logout')}
        </Button>
      </div>
      <Problem error={logout.error} />
    </section>
  );
}
