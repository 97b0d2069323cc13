// Shows its children to a logged-in staff member; sends anyone else to the login page, keeping
// where they were going. A 401 from any call (the session ended) does the same.
import { Button, Result, Spin } from 'antd';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';

import { Problem } from '../../components/Problem';
import { onUnauthenticated } from '../../lib/api/client';
import { isUnauthenticated, meQueryKey, useMe } from '../../features/identity/api/session';

export function RequireSession({ children }: { children: ReactNode }) {
  const { t } = useTranslation('console');
  const me = useMe();
  const location = useLocation();
  const queryClient = useQueryClient();

  useEffect(
    () => onUnauthenticated(() => void queryClient.invalidateQueries({ queryKey: meQueryKey })),
    [queryClient],
  );

  if (me.isPending) {
    return (
      <div className="console-center">
        <Spin size="large" />
      </div>
    );
  }
  if (me.isError) {
    if (isUnauthenticated(me.error)) {
      const sessionEnded = me.isRefetchError || me.failureCount > 0;
      return (
        <Navigate to="/login" replace state={{ from: location.pathname + location.search, sessionEnded }} />
      );
    }
    return (
      <div className="console-center">
        <Result status="warning" title={t('sessionError')} extra={<Problem error={me.error} />} />
      </div>
    );
  }
  if (me.data.kind !== 'staff') {
    return (
      <div className="console-center">
        <Result
          status="403"
          title={t('customerAccount.title')}
          subTitle={t('customerAccount.body')}
          extra={
            <Button type="primary" href="/">
              {t('customerAccount.portal')}
            </Button>
          }
        />
      </div>
    );
  }
  return <>{children}</>;
}
