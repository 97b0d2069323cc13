// The frame of the four activation steps: where the holder is, then the step's page.
import Steps from 'antd-mobile/es/components/steps';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation } from 'react-router';

const STEPS = ['login', 'plan', 'details', 'confirm'] as const;

function currentStep(pathname: string): number {
  const last = pathname.replace(/\/+$/, '').split('/').pop() ?? '';
  if (last === 'policy') return STEPS.length;
  const index = STEPS.indexOf(last as (typeof STEPS)[number]);
  return index < 0 ? 0 : index;
}

export default function ActivationLayout() {
  const { t } = useTranslation('cards');
  const { pathname } = useLocation();
  const current = currentStep(pathname);
  return (
    <div className="cards-activation">
      <nav aria-label={t('steps.label')} className="cards-steps">
        <Steps current={current}>
          {STEPS.map((step, i) => (
            <Steps.Step
              key={step}
              title={t(`steps.${step}`)}
              status={i < current ? 'finish' : i === current ? 'process' : 'wait'}
            />
          ))}
        </Steps>
      </nav>
      <Outlet />
    </div>
  );
}
