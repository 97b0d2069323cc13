// Step 2 of the holder's activation: the product and plan (components/PlanStep).
import { Navigate, useNavigate } from 'react-router';

import { useActivationFlow } from '../../components/ActivationFlow';
import { PlanStep } from '../../components/PlanStep';

export default function PlanPage() {
  const { draft } = useActivationFlow();
  const navigate = useNavigate();
  if (!draft.offer) return <Navigate to="/activate" replace />;
  return <PlanStep onNext={() => navigate('../details')} />;
}
