// "My card / my policy": a card's status by its number and password (POST
// /api/v1/card-activations/lookup). An activated card shows its policy (number, period, product
// and plan, coverages, the parties masked by the server); a card awaiting activation leads on to
// the activation; any other card shows its status. A wrong password is said at the form; a card
// locked after too many wrong passwords says how long to wait.
import Button from 'antd-mobile/es/components/button';
import List from 'antd-mobile/es/components/list';
import Result from 'antd-mobile/es/components/result';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import { DateText } from '../../../../components/DateText';
import { PageHeading } from '../../../../components/layout/PageHeading';
import { Problem } from '../../../../components/Problem';
import type { ApiError } from '../../../../lib/api/errors';
import { useLookupCard, useVerifyCard, type CardCredentials, type CardLookup } from '../../api/activation';
import { useActivationFlow } from '../../components/ActivationFlow';
import { CardLoginForm } from '../../components/CardLoginForm';
import { PolicyView } from '../../components/PolicyView';
import { waitMinutes } from '../../components/lookup';

type Found = { kind: 'card'; credentials: CardCredentials; lookup: CardLookup } | { kind: 'locked'; minutes: number | null };

export default function CardLookupPage() {
  const { t } = useTranslation('cards');
  const flow = useActivationFlow();
  const navigate = useNavigate();
  const lookup = useLookupCard();
  const verify = useVerifyCard();
  const [found, setFound] = useState<Found | null>(null);

  const refused = (error: ApiError) => {
    if (error.status === 429) {
      setFound({ kind: 'locked', minutes: waitMinutes(error.retryAfterSeconds) });
      return true;
    }
    setFound(null);
    return false;
  };

  const activate = (credentials: CardCredentials) =>
    verify.mutate(credentials, {
      onSuccess: (offer) => {
        flow.start(credentials, offer);
        navigate('/activate/plan');
      },
    });

  const card = found?.kind === 'card' ? found.lookup.card : null;
  const policy = found?.kind === 'card' ? found.lookup.policy : null;
  return (
    <section>
      <PageHeading title={t('lookup.title')} intro={t('lookup.intro')} />
      <CardLoginForm check={lookup} submitText={t('lookup.submit')} onVerified={(credentials, answer) => setFound({ kind: 'card', credentials, lookup: answer })} onRefused={refused} />
      <div aria-live="polite">
        {found?.kind === 'locked' && (
          <div className="cards-lookup" data-status="locked">
            <Result
              status="warning"
              title={<span role="status">{t('lookup.locked')}</span>}
              description={found.minutes !== null ? t('lookup.lockedWait', { count: found.minutes }) : t('lookup.lockedLater')}
            />
          </div>
        )}
        {found?.kind === 'card' && card && (
          <div className="cards-lookup" data-status={card.status}>
            <Result
              status={card.status === 'activated' || card.status === 'awaiting_activation' ? 'success' : 'warning'}
              title={<span role="status">{`${t('lookup.status')}：${t(`cardStatus.${card.status}`)}`}</span>}
              description={
                card.status === 'awaiting_activation'
                  ? t('lookup.awaitingBody')
                  : card.status === 'activated'
                    ? t('lookup.activatedBody')
                    : t('lookup.otherBody')
              }
            />
            <List header={t('lookup.cardHeader')}>
              <List.Item extra={<span className="cards-serial">{card.serial}</span>}>{t('lookup.card')}</List.Item>
              <List.Item extra={card.card_type_name}>{t('lookup.cardType')}</List.Item>
              {card.activated_at ? (
                <List.Item extra={<DateText value={card.activated_at} withTime />}>{t('lookup.activatedAt')}</List.Item>
              ) : (
                <List.Item extra={<DateText value={card.valid_until} />}>{t('lookup.validUntil')}</List.Item>
              )}
            </List>
            {card.status === 'awaiting_activation' && (
              <div className="cards-actions">
                <Problem error={verify.error} />
                <Button block color="primary" size="large" loading={verify.isPending} onClick={() => activate(found.credentials)}>
                  {t('lookup.activate')}
                </Button>
              </div>
            )}
            {policy && (
              <>
                <h2 className="cards-section cards-pad">{t('lookup.policyHeader')}</h2>
                <PolicyView policy={policy} />
              </>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
