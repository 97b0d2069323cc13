// The console's home: who is logged in, in which organisation, with which roles and permissions.
import { Card, Descriptions, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';

import { DateText } from '../../../../components/DateText';
import { ConsolePage } from '../../../../components/layout/ConsolePage';
import { Masked } from '../../../../components/Masked';
import { useMe } from '../../api/session';
import { RoleName } from '../../components/RoleName';

export default function ConsoleHomePage() {
  const { t } = useTranslation('identity');
  const me = useMe();
  if (!me.data) return null; // the layout shows the session's loading and errors
  const user = me.data;
  return (
    <ConsolePage title={t('me.welcome', { name: user.display_name })}>
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <Card title={t('console.signedInAs')}>
          <Descriptions column={{ xs: 1, sm: 1, md: 2 }} bordered size="middle">
            <Descriptions.Item label={t('me.displayName')}>{user.display_name}</Descriptions.Item>
            <Descriptions.Item label={t('me.login')}>{user.login}</Descriptions.Item>
            <Descriptions.Item label={t('me.organisation')}>
              {user.org ? `${user.org.name ?? ''} (${user.org.code ?? ''})` : t('me.noOrganisation')}
            </Descriptions.Item>
            <Descriptions.Item label={t('me.roles')}>
              <Space wrap>
                {user.roles.map((role) => (
                  <Tag key={role} color="blue">
                    <RoleName code={role} />
                  </Tag>
                ))}
              </Space>
            </Descriptions.Item>
            {user.phone && (
              <Descriptions.Item label={t('me.phone')}>
                <Masked value={user.phone} />
              </Descriptions.Item>
            )}
            {user.created_at && (
              <Descriptions.Item label={t('me.since')}>
                <DateText value={user.created_at} withTime />
              </Descriptions.Item>
            )}
          </Descriptions>
        </Card>
        <Card title={`${t('me.permissions')} · ${t('console.permissionCount', { count: user.permissions?.length ?? 0 })}`}>
          <Space wrap>
            {(user.permissions ?? []).map((permission) => (
              <Tag key={permission}>
                <code>{permission}</code>
              </Tag>
            ))}
          </Space>
        </Card>
      </Space>
    </ConsolePage>
  );
}
