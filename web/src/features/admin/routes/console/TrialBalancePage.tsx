// 试算平衡表: debit and credit totals per ledger account, and whether they balance (head office).
import { Alert, Card, Table, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';

import { Money } from '../../../../components/Money';
import { Problem } from '../../../../components/Problem';
import { ConsolePage } from '../../../../components/layout/ConsolePage';
import { useTrialBalance, type TrialBalance } from '../../api';

type Account = TrialBalance['accounts'][number];

export default function TrialBalancePage() {
  const { t, i18n } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const balance = useTrialBalance();
  const data = balance.data;
  const columns: TableColumnsType<Account> = [
    { title: t('trialBalance.code'), dataIndex: 'account', render: (a: string) => <code>{a}</code> },
    { title: t('trialBalance.account'), render: (_, a) => (i18n.language === 'en' ? a.name_en : a.name_zh) },
    { title: t('trialBalance.debit'), align: 'right', render: (_, a) => <Money fen={a.debit_fen} /> },
    { title: t('trialBalance.credit'), align: 'right', render: (_, a) => <Money fen={a.credit_fen} /> },
  ];
  return (
    <ConsolePage title={t('menu.trialBalance')} intro={t('trialBalance.intro')}>
      <Problem error={balance.error} />
      {data && (
        <Alert
          type={data.balanced ? 'success' : 'error'}
          showIcon
          role="status"
          message={t(data.balanced ? 'trialBalance.balanced' : 'trialBalance.unbalanced')}
        />
      )}
      <Card>
        <div className="ax-table-wrap">
          <Table<Account>
            rowKey="account"
            columns={columns}
            dataSource={data?.accounts ?? []}
            loading={balance.isLoading}
            pagination={false}
            size="middle"
            locale={{ emptyText: <span className="ax-empty">{tc('table.empty')}</span> }}
            summary={() =>
              data && (
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0} colSpan={2}>
                    <strong>{t('trialBalance.total')}</strong>
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={2} align="right">
                    <strong>
                      <Money fen={data.total_debit_fen} />
                    </strong>
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={3} align="right">
                    <strong>
                      <Money fen={data.total_credit_fen} />
                    </strong>
                  </Table.Summary.Cell>
                </Table.Summary.Row>
              )
            }
          />
        </div>
      </Card>
    </ConsolePage>
  );
}
