// The frame of the four activation steps: where the holder is, then the step's page.
import { Outlet, useLocation } from 'react-router';

import { ACTIVATION_STEPS, ActivationSteps, type ActivationStep } from '../../components/ActivationSteps';

function currentStep(pathname: string): ActivationStep {
  const last = pathname.replace(/\/+$/, '').split('/').pop() ?? '';
  if (last === 'policy') return 'policy';
  return (ACTIVATION_STEPS as readonly string[]).includes(last) ? (last as ActivationStep) : 'login';
}

export default function ActivationLayout() {
  const { pathname } = useLocation();
  return (
    <div className="cards-activation">
      <ActivationSteps current={currentStep(pathname)} />
      <Outlet />
    </div>
  );
}
