// What a verified card offers: product, card, premium, term, insurable ages, activation deadline.
import List from 'antd-mobile/es/components/list';
import { useTranslation } from 'react-i18next';

import { DateText } from '../../../components/DateText';
import { Money } from '../../../components/Money';
import { pickText } from '../../../lib/i18n';
import type { CardOffer } from '../api/activation';

export function TermText({ term }: { term: CardOffer['term'] }) {
  const { t } = useTranslation();
  return <>{t(`term.${term.unit}`, { count: term.value })}</>;
}

export function AgeRangeText({ range }: { range: CardOffer['insurable_age'] }) {
  const { t } = useTranslation('cards');
  return (
    <>
      {range.min_age_days !== undefined
        ? t('plan.insurableAgeDaysValue', { min: range.min_age_days, max: range.max_age })
        : t('plan.insurableAgeValue', { min: range.min_age, max: range.max_age })}
    </>
  );
}

export function OfferSummary({ offer }: { offer: CardOffer }) {
  const { t, i18n } = useTranslation('cards');
  const product = offer.product;
  return (
    <List className="cards-offer">
      <List.Item
        description={pickText(product.description_zh, product.description_en, i18n.language) || undefined}
        extra={<Money fen={offer.premium_fen} />}
      >
        <strong>{pickText(product.name_zh, product.name_en, i18n.language)}</strong>
      </List.Item>
      <List.Item extra={offer.card_type.name}>{t('plan.card')}</List.Item>
      <List.Item extra={<span className="cards-serial">{offer.serial}</span>}>{t('lookup.card')}</List.Item>
      <List.Item extra={<TermText term={offer.term} />}>{t('plan.term')}</List.Item>
      <List.Item extra={<AgeRangeText range={offer.insurable_age} />}>{t('plan.insurableAge')}</List.Item>
      <List.Item extra={<DateText value={offer.valid_until} />}>{t('plan.validUntil')}</List.Item>
    </List>
  );
}
