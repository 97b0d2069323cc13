// A plan's coverages: name, sum insured and the terms that limit it.
import List from 'antd-mobile/es/components/list';
import { useTranslation } from 'react-i18next';

import { formatMoney, formatSumInsured } from '../../../lib/format';
import { pickText } from '../../../lib/i18n';
import type { Coverage } from '../api/activation';

export function CoverageList({ coverages, header }: { coverages: readonly Coverage[]; header?: string }) {
  const { t, i18n } = useTranslation('cards');
  const language = i18n.language;
  return (
    <List header={header} className="cards-coverages">
      {coverages.map((c) => {
        const terms = [
          c.deductible_fen > 0 ? t('plan.deductible', { amount: formatMoney(c.deductible_fen) }) : null,
          c.copay_percent !== undefined && c.copay_percent > 0 && c.copay_percent < 100
            ? t('plan.copay', { percent: 100 - c.copay_percent })
            : null,
          c.waiting_period_days > 0 ? t('plan.waiting', { days: c.waiting_period_days }) : null,
        ].filter(Boolean);
        return (
          <List.Item
            key={c.code}
            extra={
              <span className="cards-sum-insured">
                {c.sum_insured_fen === null ? t('plan.noLimit') : formatSumInsured(c.sum_insured_fen, language)}
              </span>
            }
            description={terms.length > 0 ? terms.join(' · ') : undefined}
          >
            {pickText(c.name_zh, c.name_en, language)}
          </List.Item>
        );
      })}
    </List>
  );
}
