// Where the holder is in the four activation steps (card login, plan, details, confirm); `current`
// 4 once the policy is issued.
import Steps from 'antd-mobile/es/components/steps';
import { useTranslation } from 'react-i18next';

export const ACTIVATION_STEPS = ['login', 'plan', 'details', 'confirm'] as const;
export type ActivationStep = (typeof ACTIVATION_STEPS)[number] | 'policy';

export function stepIndex(step: ActivationStep): number {
  return step === 'policy' ? ACTIVATION_STEPS.length : ACTIVATION_STEPS.indexOf(step);
}

export function ActivationSteps({ current }: { current: ActivationStep }) {
  const { t } = useTranslation('cards');
  const index = stepIndex(current);
  return (
    <nav aria-label={t('steps.label')} className="cards-steps">
      <Steps current={index}>
        {ACTIVATION_STEPS.map((step, i) => (
          <Steps.Step key={step} title={t(`steps.${step}`)} status={i < index ? 'finish' : i === index ? 'process' : 'wait'} />
        ))}
      </Steps>
    </nav>
  );
}
