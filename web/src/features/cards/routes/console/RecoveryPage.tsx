// 反向处理: the cards of a sale taken back (to stock or voided) under a recovery number; paid cards
// then need a refund receipt and, once the refund is confirmed, the red-letter invoice.
import { Alert, Button, Card, Checkbox, Descriptions, Form, Input, Radio, Select, Space, Tag, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';

import { DateText } from '../../../../components/DateText';
import { Money } from '../../../../components/Money';
import { Problem } from '../../../../components/Problem';
import { useServerErrors } from '../../../../components/form/use-server-errors';
import { ConsolePage } from '../../../../components/layout/ConsolePage';
import { useCan } from '../../../../components/layout/console-caller';
import { useCursorPaging } from '../../../../components/table/cursor-paging';
import { PagedTable } from '../../../../components/table/PagedTable';
import {
  DISPOSITIONS,
  useRecoveries,
  useRegisterRecovery,
  useSale,
  type Disposition,
  type Recovery,
  type RecoveryQuery,
  type Sale,
} from '../../api/card-sales';

interface Values {
  serials: string[];
  disposition: Disposition;
  reason: string;
}

function RecoveryForm({ sale }: { sale: Sale }) {
  const { t } = useTranslation('cardsConsole');
  const can = useCan();
  const [form] = Form.useForm<Values>();
  const recovery = useRegisterRecovery();
  const serverErrors = useServerErrors(form, { fields: ['serials', 'disposition', 'reason'], aliases: {} });

  const submit = (values: Values) => {
    serverErrors.clear();
    recovery.mutate(
      { sales_no: sale.sales_no, serials: values.serials, disposition: values.disposition, reason: values.reason.trim() },
      { onError: serverErrors.onError },
    );
  };

  const done = recovery.data;
  if (done) {
    return (
      <Card title={<h2 className="ax-card-title">{t('recovery.done', { no: done.recovery_no })}</h2>}>
        <Descriptions column={{ xs: 1, sm: 2 }} size="small">
          <Descriptions.Item label={t('recovery.recoveryNo')}>
            <strong className="ax-serial" data-testid="recovery-no">
              {done.recovery_no}
            </strong>
          </Descriptions.Item>
          <Descriptions.Item label={t('common.quantity')}>{t('common.cards', { count: done.quantity })}</Descriptions.Item>
          <Descriptions.Item label={t('common.amount')}>
            <Money fen={done.amount_fen} />
          </Descriptions.Item>
          <Descriptions.Item label={t('receipts.status')}>{t(`recovery.statuses.${done.status}`)}</Descriptions.Item>
        </Descriptions>
        {done.paid_before ? (
          <Space direction="vertical">
            <Alert type="warning" showIcon message={t('recovery.refundNeeded', { no: done.recovery_no })} />
            {can('card.payment') && <Link to={`/cards/receipts?recovery_no=${encodeURIComponent(done.recovery_no)}`}>{t('recovery.toRefund')}</Link>}
          </Space>
        ) : (
          <Alert type="info" showIcon message={t('recovery.noRefund')} />
        )}
      </Card>
    );
  }

  return (
    <Card title={<h2 className="ax-card-title">{t('sales.detail', { no: sale.sales_no })}</h2>}>
      <Descriptions column={{ xs: 1, sm: 3 }} size="small">
        <Descriptions.Item label={t('sales.status')}>{t(`sales.statuses.${sale.status}`)}</Descriptions.Item>
        <Descriptions.Item label={t('common.quantity')}>{t('common.cards', { count: sale.quantity })}</Descriptions.Item>
        <Descriptions.Item label={t('common.amount')}>
          <Money fen={sale.amount_fen} />
        </Descriptions.Item>
      </Descriptions>
      <Form form={form} layout="vertical" onFinish={submit} disabled={recovery.isPending} initialValues={{ disposition: 'restock', serials: [] }}>
        <Form.Item
          name="serials"
          label={t('recovery.serials')}
          extra={t('recovery.serialsHint')}
          rules={[{ required: true, type: 'array', min: 1, message: t('recovery.serials') }]}
        >
          <Checkbox.Group className="ax-serial" options={sale.serials.map((s) => ({ value: s, label: s }))} />
        </Form.Item>
        <div className="ax-console-form-grid">
          <Form.Item name="disposition" label={t('recovery.disposition')}>
            <Radio.Group optionType="button" options={DISPOSITIONS.map((d) => ({ value: d, label: t(`recovery.dispositions.${d}`) }))} />
          </Form.Item>
          <Form.Item name="reason" label={t('recovery.reason')} rules={[{ required: true, whitespace: true, message: t('recovery.reason') }]}>
            <Input autoComplete="off" maxLength={200} placeholder={t('recovery.reasonPlaceholder')} />
          </Form.Item>
        </div>
        <Button type="primary" danger htmlType="submit" loading={recovery.isPending}>
          {t('recovery.submit')}
        </Button>
      </Form>
      <div style={{ marginTop: 12 }}>
        <Problem error={recovery.error} rest={serverErrors.rest} />
      </div>
    </Card>
  );
}

const RECOVERY_STATUSES: readonly NonNullable<RecoveryQuery['status']>[] = ['registered', 'refunded', 'completed'];

// The recoveries of the caller's subtree, oldest first, by status: paid cards still awaiting their
// refund lead to the refund receipt.
function RecoveryList() {
  const { t } = useTranslation('cardsConsole');
  const can = useCan();
  const [status, setStatus] = useState<RecoveryQuery['status']>();
  const paging = useCursorPaging();
  const recoveries = useRecoveries({ ...(status ? { status } : {}), after: paging.after, limit: 50 });
  const columns: TableColumnsType<Recovery> = [
    { title: t('recovery.recoveryNo'), dataIndex: 'recovery_no', render: (no: string) => <span className="ax-serial">{no}</span> },
    { title: t('recovery.salesNo'), dataIndex: 'sales_no', render: (no: string) => <span className="ax-serial">{no}</span> },
    { title: t('recovery.disposition'), render: (_, r) => (r.disposition ? t(`recovery.dispositions.${r.disposition}`) : '') },
    {
      title: t('sales.cardsAmount'),
      align: 'right',
      render: (_, r) => (
        <>
          {t('common.cards', { count: r.quantity })} / <Money fen={r.amount_fen} />
        </>
      ),
    },
    { title: t('recovery.status'), render: (_, r) => <Tag>{t(`recovery.statuses.${r.status}`)}</Tag> },
    { title: t('recovery.createdAt'), render: (_, r) => <DateText value={r.created_at} withTime /> },
    {
      title: t('common.actions'),
      render: (_, r) =>
        r.status === 'registered' && !r.receipt_no && can('card.payment') ? (
          <Link to={`/cards/receipts?recovery_no=${encodeURIComponent(r.recovery_no)}`}>{t('recovery.toRefund')}</Link>
        ) : null,
    },
  ];
  return (
    <Card title={<h2 className="ax-card-title">{t('recovery.list')}</h2>}>
      <div className="ax-console-actions" style={{ marginBottom: 12 }}>
        <label htmlFor="recovery-status">{t('recovery.status')}</label>
        <Select
          id="recovery-status"
          allowClear
          placeholder={t('common.all')}
          style={{ width: 200 }}
          value={status}
          onChange={(value?: RecoveryQuery['status']) => {
            setStatus(value);
            paging.reset();
          }}
          options={RECOVERY_STATUSES.map((s) => ({ value: s, label: t(`recovery.statuses.${s}`) }))}
        />
      </div>
      <Problem error={recoveries.error} />
      <PagedTable<Recovery>
        rowKey="id"
        columns={columns}
        rows={recoveries.data?.items}
        loading={recoveries.isFetching}
        paging={paging}
        nextAfter={recoveries.data?.next_after}
      />
    </Card>
  );
}

export default function RecoveryPage() {
  const { t } = useTranslation('cardsConsole');
  const [params, setParams] = useSearchParams();
  const salesNo = (params.get('sales_no') ?? '').trim();
  const sale = useSale(salesNo);
  const [typed, setTyped] = useState(salesNo);
  return (
    <ConsolePage title={t('menu.recovery')} intro={t('recovery.intro')}>
      <Card>
        <form
          className="ax-console-actions"
          aria-label={t('recovery.load')}
          onSubmit={(e) => {
            e.preventDefault();
            setParams({ sales_no: typed.trim() });
          }}
        >
          <label htmlFor="recovery-sales-no">{t('recovery.salesNo')}</label>
          <Input id="recovery-sales-no" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" style={{ width: 260 }} />
          <Button type="primary" htmlType="submit">
            {t('recovery.load')}
          </Button>
        </form>
      </Card>
      <Problem error={sale.error} />
      {sale.data && <RecoveryForm key={sale.data.id} sale={sale.data} />}
      <RecoveryList />
    </ConsolePage>
  );
}
