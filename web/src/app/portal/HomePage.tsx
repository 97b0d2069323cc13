// The portal's home: the card services and the customer account.
import List from 'antd-mobile/es/components/list';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import { PageHeading } from '../../components/layout/PageHeading';

export default function HomePage() {
  const { t } = useTranslation('portal');
  const navigate = useNavigate();
  const entries = [
    { to: '/activate', title: t('home.activate'), body: t('home.activateBody') },
    { to: '/sms', title: t('home.sms'), body: t('home.smsBody') },
    { to: '/my-card', title: t('home.lookup'), body: t('home.lookupBody') },
    { to: '/account', title: t('home.account'), body: t('home.accountBody') },
  ];
  return (
    <section>
      <PageHeading title={t('home.title')} intro={t('home.intro')} />
      <List className="portal-entries">
        {entries.map((entry) => (
          <List.Item key={entry.to} description={entry.body} onClick={() => navigate(entry.to)} arrowIcon>
            <a
              href={entry.to}
              className="portal-entry-link"
              onClick={(e) => {
                e.preventDefault();
                navigate(entry.to);
              }}
            >
              {entry.title}
            </a>
          </List.Item>
        ))}
      </List>
      <p className="portal-note">{t('home.otherChannels')}</p>
    </section>
  );
}
