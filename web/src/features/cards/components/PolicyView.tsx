// A policy: number, period of cover, product and plan, premium, parties (masked by the server)
// and coverages, with the actions of the page that shows it. The policy just issued (the
// activation's answer, `issued` true: a success heading above it) or a card's policy as the
// look-up finds it.
import List from 'antd-mobile/es/components/list';
import Result from 'antd-mobile/es/components/result';
import { useTranslation } from 'react-i18next';
import { useContext, type ReactNode } from 'react';

import { DateText } from '../../../components/DateText';
import { Masked } from '../../../components/Masked';
import { NestedHeadings } from '../../../components/layout/PageHeading';
import { Money } from '../../../components/Money';
import { pickText } from '../../../lib/i18n';
import { formatDate } from '../../../lib/format';
import { ID_TYPES, type IdType } from '../../../lib/validation';
import { policyCoverages, type PolicyShown } from '../api/activation';
import { CoverageList } from './CoverageList';

const isIdType = (value: string): value is IdType => (ID_TYPES as readonly string[]).includes(value);

export function PolicyView({ policy, issued = false, children }: { policy: PolicyShown; issued?: boolean; children?: ReactNode }) {
  const { t, i18n } = useTranslation('cards');
  const { t: tc } = useTranslation();
  const holder = policy.parties.find((p) => p.role === 'holder');
  const language = i18n.language;
  const Heading = useContext(NestedHeadings) ? 'h2' : 'h1';

  return (
    <section>
      {issued && (
        <Result
          status="success"
          title={<Heading className="cards-result-title">{t('policy.title')}</Heading>}
          description={t('policy.subtitle')}
        />
      )}
      <List className="cards-policy">
        <List.Item extra={<strong className="cards-policy-no" data-testid="policy-no">{policy.policy_no}</strong>}>
          {t('policy.policyNo')}
        </List.Item>
        <List.Item
          description={t('policy.periodValue', { start: formatDate(policy.start_date), end: formatDate(policy.end_date) })}
        >
          {t('policy.period')}
        </List.Item>
        <List.Item extra={pickText(policy.product.name_zh, policy.product.name_en, language)}>{t('policy.product')}</List.Item>
        <List.Item extra={pickText(policy.plan.name_zh, policy.plan.name_en, language)}>{t('policy.plan')}</List.Item>
        <List.Item extra={<Money fen={policy.premium_fen} />}>{t('policy.premium')}</List.Item>
        {policy.issued_at && (
          <List.Item extra={<DateText value={policy.issued_at} withTime />}>{t('policy.issuedAt')}</List.Item>
        )}
      </List>
      <List header={t('policy.parties')}>
        {policy.parties.map((party, i) => (
          <List.Item
            key={`${party.role}-${i}`}
            description={
              <>
                {isIdType(party.id_type) ? tc(`idType.${party.id_type}`) : party.id_type} <Masked value={party.id_number} />
                {party.share_percent !== undefined && party.role === 'beneficiary' ? ` · ${party.share_percent}%` : ''}
              </>
            }
            extra={t(`policy.${party.role}`)}
          >
            {party.name}
          </List.Item>
        ))}
      </List>
      <CoverageList header={t('policy.coverages')} coverages={policyCoverages(policy)} />
      {issued && holder?.phone && <p className="cards-hint cards-pad">{t('policy.sms', { phone: holder.phone })}</p>}
      {children && <div className="cards-actions">{children}</div>}
    </section>
  );
}
