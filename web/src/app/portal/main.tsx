// The customer portal (/): antd-mobile, phone first, Chinese first.
import 'antd-mobile/es/global';
import '../../components/layout/shared.css';
import './portal.css';

import { QueryClientProvider } from '@tanstack/react-query';
import ConfigProvider from 'antd-mobile/es/components/config-provider';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';

import { cardsNamespace } from '../../features/cards/i18n';
import { identityNamespace } from '../../features/identity/i18n';
import { initI18n } from '../../lib/i18n';
import { createQueryClient } from '../../lib/query';
import { portalNamespace } from './i18n';
import { createPortalRouter } from './router';

const queryClient = createQueryClient();
const router = createPortalRouter();

function PortalApp() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </ConfigProvider>
  );
}

await initI18n([portalNamespace, cardsNamespace, identityNamespace]);
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <PortalApp />
    </StrictMode>,
  );
}
