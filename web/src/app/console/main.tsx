// The staff console (/console/): Ant Design, Chinese first.
import '../../components/layout/shared.css';
import './console.css';

import { QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { StrictMode, useMemo } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';

import { adminNamespace } from '../../features/admin/i18n';
import { cardsNamespace } from '../../features/cards/i18n';
import { cardsConsoleNamespace } from '../../features/cards/i18n/console';
import { identityConsoleNamespace } from '../../features/identity/i18n/console';
import { identityNamespace } from '../../features/identity/i18n';
import { notifyConsoleNamespace } from '../../features/notify/i18n';
import { initI18n } from '../../lib/i18n';
import { createQueryClient } from '../../lib/query';
import { consoleNamespace } from './i18n';
import { createConsoleRouter } from './router';

const queryClient = createQueryClient();
const router = createConsoleRouter();

function ConsoleApp() {
  const { i18n } = useTranslation();
  const locale = i18n.language === 'en' ? enUS : zhCN;
  const theme = useMemo(
    () => ({
      token: {
        colorPrimary: '#1f5fbf',
        colorLink: '#1f5fbf',
        // Hover and pressed primary buttons darker, not lighter, so white labels keep 4.5:1.
        colorPrimaryHover: '#174ea6',
        colorPrimaryActive: '#123f86',
        borderRadius: 6,
        // Darker secondary texts than antd's defaults, for a 4.5:1 contrast on white.
        colorTextSecondary: '#595959',
        colorTextTertiary: '#595959',
        colorTextDescription: '#595959',
        colorTextPlaceholder: '#767676',
        colorError: '#cf1322',
      },
    }),
    [],
  );
  return (
    <ConfigProvider locale={locale} theme={theme} button={{ autoInsertSpace: false }}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </ConfigProvider>
  );
}

await initI18n([identityNamespace, consoleNamespace, cardsNamespace, cardsConsoleNamespace, adminNamespace, identityConsoleNamespace, notifyConsoleNamespace]);
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ConsoleApp />
    </StrictMode>,
  );
}
