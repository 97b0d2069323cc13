// "My card": the status of a card, by its number and password. A card awaiting activation shows
// what it offers and leads on to the activation; any other card shows its status.
import Button from 'antd-mobile/es/components/button';
import Result from 'antd-mobile/es/components/result';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import { PageHeading } from '../../../../components/layout/PageHeading';
import type { ApiError } from '../../../../lib/api/errors';
import type { CardCredentials, CardOffer } from '../../api/activation';
import { useActivationFlow } from '../../components/ActivationFlow';
import { CardLoginForm } from '../../components/CardLoginForm';
import { OfferSummary } from '../../components/OfferSummary';

type Found =
  | { kind: 'awaiting'; credentials: CardCredentials; offer: CardOffer }
  | { kind: 'status'; serial: string; status: string; label: string; detail: string };

export default function CardLookupPage() {
  const { t } = useTranslation('cards');
  const flow = useActivationFlow();
  const navigate = useNavigate();
  const [found, setFound] = useState<Found | null>(null);

  const refused = (error: ApiError, credentials: CardCredentials) => {
    const status = error.code === 'card_not_activatable' ? error.errorsAt('card_status')[0] : undefined;
    if (!status) {
      setFound(null);
      return false;
    }
    setFound({ kind: 'status', serial: credentials.serial, status: status.code, label: status.message, detail: error.detail });
    return true;
  };

  return (
    <section>
      <PageHeading title={t('lookup.title')} intro={t('lookup.intro')} />
      <CardLoginForm
        submitText={t('lookup.submit')}
        onVerified={(credentials, offer) => setFound({ kind: 'awaiting', credentials, offer })}
        onRefused={refused}
      />
      <div aria-live="polite">
        {found?.kind === 'awaiting' && (
          <div className="cards-lookup" data-status="awaiting_activation">
            <Result status="info" title={<span role="status">{`${t('lookup.status')}：${t('lookup.awaiting')}`}</span>} description={t('lookup.awaitingBody')} />
            <OfferSummary offer={found.offer} />
            <div className="cards-actions">
              <Button
                block
                color="primary"
                size="large"
                onClick={() => {
                  flow.start(found.credentials, found.offer);
                  navigate('/activate/plan');
                }}
              >
                {t('lookup.activate')}
              </Button>
            </div>
          </div>
        )}
        {found?.kind === 'status' && (
          <div className="cards-lookup" data-status={found.status}>
            <Result
              status={found.status === 'activated' ? 'success' : 'warning'}
              title={<span role="status">{`${t('lookup.status')}：${found.label}`}</span>}
              description={
                <>
                  <span className="cards-serial">{found.serial}</span>
                  <br />
                  {found.status === 'activated' ? t('lookup.activatedBody') : `${found.detail} ${t('lookup.otherBody')}`}
                </>
              }
            />
          </div>
        )}
      </div>
    </section>
  );
}
