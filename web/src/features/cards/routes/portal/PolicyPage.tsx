// The holder's activation done: the issued policy (components/PolicyView).
import Button from 'antd-mobile/es/components/button';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router';

import { useActivationFlow } from '../../components/ActivationFlow';
import { PolicyView } from '../../components/PolicyView';

export default function PolicyPage() {
  const { t } = useTranslation('cards');
  const { draft, reset } = useActivationFlow();
  const navigate = useNavigate();
  if (!draft.result) return <Navigate to="/activate" replace />;
  return (
    <PolicyView policy={draft.result} issued>
      <Button
        block
        color="primary"
        size="large"
        onClick={() => {
          reset();
          navigate('/activate', { replace: true });
        }}
      >
        {t('policy.another')}
      </Button>
      <Button block size="large" onClick={() => navigate('/')}>
        {t('policy.home')}
      </Button>
    </PolicyView>
  );
}
