// The policy a card was activated into (masked parties, as the server answers) and the ledger
// entries of that policy, each for callers holding the permission that reads it.
import { Card, Descriptions, Table, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';

import { DateText } from '../../../../components/DateText';
import { Money } from '../../../../components/Money';
import { Problem } from '../../../../components/Problem';
import { useCan } from '../../../../components/layout/console-caller';
import { useLedgerEntries, usePolicy, type LedgerEntry } from '../../api/card-books';

type Line = LedgerEntry['lines'][number] & { key: string; at: string; memo: string };

export function PolicyAndLedger({ policyId }: { policyId: string }) {
  const { t } = useTranslation('cardsConsole');
  const can = useCan();
  const policy = usePolicy(policyId, can('policy.read'));
  const entries = useLedgerEntries('policy', policyId, can('ledger.read'));
  const lines: Line[] = (entries.data ?? []).flatMap((entry) =>
    entry.lines.map((line, i) => ({ ...line, key: `${entry.id}:${i}`, at: entry.at, memo: entry.memo })),
  );
  const columns: TableColumnsType<Line> = [
    { title: t('card.historyAt'), render: (_, l) => <DateText value={l.at} withTime /> },
    { title: t('card.ledgerMemo'), dataIndex: 'memo' },
    { title: t('card.ledgerAccount'), dataIndex: 'account', render: (a: string) => <code>{a}</code> },
    { title: t('card.ledgerDebit'), align: 'right', render: (_, l) => (l.debit_fen ? <Money fen={l.debit_fen} /> : '') },
    { title: t('card.ledgerCredit'), align: 'right', render: (_, l) => (l.credit_fen ? <Money fen={l.credit_fen} /> : '') },
  ];
  const p = policy.data;
  const holder = p?.parties.find((party) => party.role === 'holder');
  return (
    <>
      {can('policy.read') && (
        <Card title={<h2 className="ax-card-title">{t('card.policy')}</h2>}>
          <Problem error={policy.error} />
          {p && (
            <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
              <Descriptions.Item label={t('assist.policyNo')}>
                <strong className="ax-serial" data-testid="policy-no">
                  {p.policy_no}
                </strong>
              </Descriptions.Item>
              <Descriptions.Item label={t('assist.plan')}>{`${p.product_code} / ${p.plan_code}`}</Descriptions.Item>
              <Descriptions.Item label={t('assist.period')}>
                <DateText value={p.start_date} /> – <DateText value={p.end_date} />
              </Descriptions.Item>
              <Descriptions.Item label={t('common.amount')}>
                <Money fen={p.premium_fen} />
              </Descriptions.Item>
              {holder && <Descriptions.Item label={t('assist.holder')}>{`${holder.name} ${holder.id_number}`}</Descriptions.Item>}
            </Descriptions>
          )}
        </Card>
      )}
      {can('ledger.read') && (
        <Card title={<h2 className="ax-card-title">{t('card.ledger')}</h2>}>
          <Problem error={entries.error} />
          <div className="ax-table-wrap">
            <Table<Line>
              rowKey="key"
              columns={columns}
              dataSource={lines}
              loading={entries.isLoading}
              pagination={false}
              size="small"
              locale={{ emptyText: <span className="ax-empty">{t('common.empty')}</span> }}
            />
          </div>
        </Card>
      )}
    </>
  );
}
