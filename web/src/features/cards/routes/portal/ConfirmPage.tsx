// Step 4 of the holder's activation: everything once more, then the policy (components/ConfirmStep).
import { Navigate, useNavigate } from 'react-router';

import { useActivateCard } from '../../api/activation';
import { useActivationFlow } from '../../components/ActivationFlow';
import { ConfirmStep } from '../../components/ConfirmStep';

export default function ConfirmPage() {
  const { draft } = useActivationFlow();
  const navigate = useNavigate();
  const activate = useActivateCard();
  if (draft.result) return <Navigate to="../policy" replace />;
  if (!draft.offer || !draft.credentials || !draft.planCode) return <Navigate to="/activate" replace />;
  return (
    <ConfirmStep
      activate={activate}
      onEdit={() => navigate('../details')}
      onFix={(step) => navigate(`../${step}`)}
      onIssued={() => navigate('../policy')}
    />
  );
}
