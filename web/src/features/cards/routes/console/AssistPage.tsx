// 代客激活: a member of staff activates a card for its holder, who reads out the card's number and
// password on the customer-service line or at a counter. The same four steps as the holder's own
// activation on the portal (the same components and checks: card login, plan, holder / insured /
// beneficiaries, confirmation), plus the channel; the server records the channel and the staff
// member (POST /api/v1/staff/card-activations).
// The portal's steps are antd-mobile components. Only its theme variables (--adm-*, which nothing
// of antd reads) come along, never its global stylesheet, whose rules for body, html and links
// would stay in the console after this page; the step column sets what the portal's body would.
import 'antd-mobile/es/global/theme-default.css';
import '../../components/cards.css';

import { Alert, Button, Card, Radio } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ConsolePage } from '../../../../components/layout/ConsolePage';
import { useConsoleCaller } from '../../../../components/layout/console-caller';
import { NestedPageHeadings } from '../../../../components/layout/PageHeading';
import { newIdempotencyKey } from '../../../../lib/api/client';
import { ASSIST_CHANNELS, useStaffActivateCard, useVerifyCard, type AssistChannel } from '../../api/activation';
import { ActivationFlowProvider, useActivationFlow } from '../../components/ActivationFlow';
import { ActivationSteps, type ActivationStep } from '../../components/ActivationSteps';
import { CardLoginForm } from '../../components/CardLoginForm';
import { ConfirmStep } from '../../components/ConfirmStep';
import { DetailsStep } from '../../components/DetailsStep';
import { PlanStep } from '../../components/PlanStep';
import { PolicyView } from '../../components/PolicyView';

function AssistFlow() {
  const { t } = useTranslation('cardsConsole');
  const { t: tp } = useTranslation('cards');
  const caller = useConsoleCaller();
  const flow = useActivationFlow();
  const [step, setStep] = useState<ActivationStep>('login');
  const [channel, setChannel] = useState<AssistChannel>('phone');
  const verify = useVerifyCard();
  const activate = useStaffActivateCard(channel);
  const policy = flow.draft.result;

  const restart = () => {
    flow.reset();
    verify.reset();
    activate.reset();
    setStep('login');
  };

  return (
    <>
      {step !== 'policy' && (
        <Card size="small" className="ax-assist-channel">
          <fieldset className="ax-plain-fieldset">
            <legend>{t('assist.channel')}</legend>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              value={channel}
              onChange={(e) => {
                setChannel(e.target.value as AssistChannel);
                // Another channel makes it another request.
                flow.update({ idempotencyKey: newIdempotencyKey() });
              }}
              options={ASSIST_CHANNELS.map((c) => ({ value: c, label: t(`assist.channels.${c}`) }))}
            />
          </fieldset>
        </Card>
      )}
      <div className="ax-assist-flow cards-activation">
        <ActivationSteps current={step} />
        {step === 'login' && (
          <CardLoginForm
            check={verify}
            submitText={tp('login.submit')}
            onVerified={(credentials, offer) => {
              flow.start(credentials, offer);
              setStep('plan');
            }}
          />
        )}
        {step === 'plan' && <PlanStep onNext={() => setStep('details')} />}
        {step === 'details' && <DetailsStep onBack={() => setStep('plan')} onNext={() => setStep('confirm')} />}
        {step === 'confirm' && (
          <ConfirmStep activate={activate} onEdit={() => setStep('details')} onFix={setStep} onIssued={() => setStep('policy')}>
            <div className="cards-pad">
              <Alert
                type="info"
                showIcon
                message={t('assist.confirmTitle')}
                description={`${t('assist.confirmBody')} ${t('assist.channel')}：${t(`assist.channels.${channel}`)}`}
              />
            </div>
          </ConfirmStep>
        )}
        {step === 'policy' && policy && (
          <PolicyView policy={policy} issued>
            <p className="cards-hint" data-testid="assist-recorded">
              {t('assist.recorded', { channel: t(`assist.channels.${channel}`), staff: caller.displayName })}
            </p>
            <Button type="primary" size="large" block onClick={restart}>
              {t('assist.another')}
            </Button>
          </PolicyView>
        )}
      </div>
    </>
  );
}

export default function AssistPage() {
  const { t } = useTranslation('cardsConsole');
  return (
    <ConsolePage title={t('menu.assist')} intro={t('assist.intro')}>
      <NestedPageHeadings value>
        <ActivationFlowProvider>
          <AssistFlow />
        </ActivationFlowProvider>
      </NestedPageHeadings>
    </ConsolePage>
  );
}
