// One person as entered, for the confirmation: name, document, masked number, mobile.
import List from 'antd-mobile/es/components/list';
import { useTranslation } from 'react-i18next';

import { Masked } from '../../../components/Masked';
import type { PartyInput } from '../api/activation';

export function PartySummary({
  title,
  party,
  extra,
}: {
  title: string;
  party: Omit<PartyInput, 'phone'> & { phone?: string | null | undefined };
  extra?: string;
}) {
  const { t } = useTranslation('cards');
  const { t: tc } = useTranslation();
  return (
    <List header={title} className="cards-party">
      <List.Item extra={extra}>{party.name}</List.Item>
      <List.Item extra={<Masked value={party.id_number} kind="id" />}>{tc(`idType.${party.id_type}`)}</List.Item>
      {party.birth_date && <List.Item extra={party.birth_date}>{t('details.birthDate')}</List.Item>}
      {party.sex && <List.Item extra={tc(`sex.${party.sex}`)}>{t('details.sex')}</List.Item>}
      {party.phone && (
        <List.Item extra={<Masked value={party.phone} kind="phone" />}>{t('details.phone')}</List.Item>
      )}
    </List>
  );
}
