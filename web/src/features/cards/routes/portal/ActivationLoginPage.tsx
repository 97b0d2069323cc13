// Step 1, card login verification (seed 000): the card's number and password.
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';

import { PageHeading } from '../../../../components/layout/PageHeading';
import { useVerifyCard } from '../../api/activation';
import { useActivationFlow } from '../../components/ActivationFlow';
import { CardLoginForm } from '../../components/CardLoginForm';

export default function ActivationLoginPage() {
  const { t } = useTranslation('cards');
  const flow = useActivationFlow();
  const navigate = useNavigate();
  const verify = useVerifyCard();
  return (
    <section>
      <PageHeading title={t('login.title')} intro={t('login.intro')} />
      <CardLoginForm
        check={verify}
        submitText={t('login.submit')}
        onVerified={(credentials, offer) => {
          flow.start(credentials, offer);
          navigate('plan');
        }}
      />
      <p className="cards-links">
        <Link to="/sms">{t('login.smsLink')}</Link>
        <Link to="/my-card">{t('login.lookupLink')}</Link>
      </p>
    </section>
  );
}
