// Step 3 of the holder's activation: holder, insured, beneficiaries (components/DetailsStep).
import { Navigate, useNavigate } from 'react-router';

import { useActivationFlow } from '../../components/ActivationFlow';
import { DetailsStep } from '../../components/DetailsStep';

export default function DetailsPage() {
  const { draft } = useActivationFlow();
  const navigate = useNavigate();
  if (!draft.offer || !draft.planCode) return <Navigate to="/activate" replace />;
  return <DetailsStep onBack={() => navigate('../plan')} onNext={() => navigate('../confirm')} />;
}
