// The cards feature's portal pages: the four activation steps and the policy, the card look-up and
// the SMS instructions. The pages load when first opened; the activation state is shared by the
// steps and the look-up (which can start an activation).
import '../../components/cards.css';

import type { ComponentType } from 'react';
import { Outlet, type RouteObject } from 'react-router';

import { ActivationFlowProvider } from '../../components/ActivationFlow';

const page = (load: () => Promise<{ default: ComponentType }>) => async () => ({
  Component: (await load()).default,
});

export const cardPortalRoutes: RouteObject[] = [
  {
    element: (
      <ActivationFlowProvider>
        <Outlet />
      </ActivationFlowProvider>
    ),
    children: [
      {
        path: 'activate',
        lazy: page(() => import('./ActivationLayout')),
        children: [
          { index: true, lazy: page(() => import('./ActivationLoginPage')) },
          { path: 'plan', lazy: page(() => import('./PlanPage')) },
          { path: 'details', lazy: page(() => import('./DetailsPage')) },
          { path: 'confirm', lazy: page(() => import('./ConfirmPage')) },
          { path: 'policy', lazy: page(() => import('./PolicyPage')) },
        ],
      },
      { path: 'my-card', lazy: page(() => import('./CardLookupPage')) },
    ],
  },
  { path: 'sms', lazy: page(() => import('./SmsActivationPage')) },
];
