import ErrorBlock from 'antd-mobile/es/components/error-block';
import Button from 'antd-mobile/es/components/button';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

export default function NotFoundPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <section>
      <ErrorBlock status="empty" title={<h1 className="portal-h1-plain">{t('notFound.title')}</h1>} description={t('notFound.body')}>
        <Button color="primary" onClick={() => navigate('/')}>
          {t('actions.home')}
        </Button>
      </ErrorBlock>
    </section>
  );
}
