// The portal's frame, phone first: a bar with the way back, the app's name (home) and the
// language switch, then the page.
import SafeArea from 'antd-mobile/es/components/safe-area';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';

import { LanguageSwitch } from '../../components/layout/LanguageSwitch';

// Where "back" goes from a page: its parent in the URL (the activation steps go one step back).
function parentOf(pathname: string): string {
  const parts = pathname.replace(/\/+$/, '').split('/').filter(Boolean);
  parts.pop();
  return `/${parts.join('/')}`;
}

export function PortalLayout() {
  const { t } = useTranslation('portal');
  const { t: tc } = useTranslation();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const home = pathname === '/';
  return (
    <div className="portal">
      <header className="portal-bar">
        <div className="portal-bar-side">
          {!home && (
            <button type="button" className="portal-back" onClick={() => navigate(parentOf(pathname))}>
              <span aria-hidden="true">‹</span> {t('nav.back')}
            </button>
          )}
        </div>
        <a
          className="portal-brand"
          href="/"
          onClick={(e) => {
            e.preventDefault();
            navigate('/');
          }}
        >
          {tc('appName')}
        </a>
        <div className="portal-bar-side portal-bar-right">
          <LanguageSwitch className="portal-language" />
        </div>
      </header>
      <main className="portal-main" aria-label={t('nav.main')}>
        <Suspense fallback={<p className="portal-loading">{tc('loading')}</p>}>
          <Outlet />
        </Suspense>
      </main>
      <SafeArea position="bottom" />
    </div>
  );
}

// What shows while the first page's code loads: the frame of index.html, now with the switch.
export function PortalLoading() {
  const { t } = useTranslation();
  return (
    <div className="portal">
      <header className="portal-bar">
        <div className="portal-bar-side" />
        <span className="portal-brand">{t('appName')}</span>
        <div className="portal-bar-side portal-bar-right">
          <LanguageSwitch className="portal-language" />
        </div>
      </header>
      <main className="portal-main">
        <p className="portal-loading">{t('loading')}</p>
      </main>
    </div>
  );
}
