// 销售单查询: the sales of the caller's subtree by status, card type, seller and dates, with the
// charge list of each and the way to its reversal.
import { Card, Form, Input, Select, Space, Tag, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { DateText } from '../../../../components/DateText';
import { Money } from '../../../../components/Money';
import { Problem } from '../../../../components/Problem';
import { DayRangeItems } from '../../../../components/form/DayRangeItems';
import { useFieldErrorsOf } from '../../../../components/form/use-server-errors';
import { ConsolePage } from '../../../../components/layout/ConsolePage';
import { useCan } from '../../../../components/layout/console-caller';
import { useCursorPaging } from '../../../../components/table/cursor-paging';
import { FilterActions, PagedTable } from '../../../../components/table/PagedTable';
import { chargeListUrl, SALE_STATUSES, useSales, type SaleQuery, type SaleRow } from '../../api/card-sales';
import { CardTypeSelect } from '../../components/console/CardTypeSelect';
import { PdfButton } from '../../components/console/PdfButton';

type Filters = Omit<SaleQuery, 'after' | 'limit'>;
type Values = Omit<Filters, 'from' | 'to'> & { from?: Dayjs | null; to?: Dayjs | null };
const FIELDS = ['status', 'doc_type_code', 'seller_code', 'from', 'to'];

export default function SalesPage() {
  const { t } = useTranslation('cardsConsole');
  const can = useCan();
  const [form] = Form.useForm<Values>();
  const [filters, setFilters] = useState<Filters>({});
  const paging = useCursorPaging();
  const sales = useSales({ ...filters, after: paging.after, limit: 50 });
  const rest = useFieldErrorsOf(form, sales.error, FIELDS);

  const search = (values: Values) => {
    const next: Filters = {};
    if (values.status) next.status = values.status;
    if (values.doc_type_code) next.doc_type_code = values.doc_type_code;
    if (values.seller_code?.trim()) next.seller_code = values.seller_code.trim();
    if (values.from) next.from = values.from.format('YYYY-MM-DD');
    if (values.to) next.to = values.to.format('YYYY-MM-DD');
    setFilters(next);
    paging.reset();
  };

  const columns: TableColumnsType<SaleRow> = [
    { title: t('sale.salesNo'), dataIndex: 'sales_no', render: (no: string) => <span className="ax-serial">{no}</span> },
    { title: t('sales.status'), render: (_, s) => <Tag>{t(`sales.statuses.${s.status}`)}</Tag> },
    {
      title: t('sales.cardsAmount'),
      align: 'right',
      render: (_, s) => (
        <>
          {t('common.cards', { count: s.quantity ?? 0 })} / <Money fen={s.amount_fen ?? 0} />
        </>
      ),
    },
    { title: t('sale.seller'), render: (_, s) => `${s.seller_code ?? ''}${s.seller_org_code ? ` (${s.seller_org_code})` : ''}` },
    { title: t('sales.createdAt'), render: (_, s) => <DateText value={s.created_at} withTime /> },
    {
      title: t('common.actions'),
      render: (_, s) => (
        <Space size={4} wrap>
          <PdfButton href={chargeListUrl(s)} label={t('sale.chargeList')} />
          {can('card.sale') && (s.status === 'registered' || s.status === 'receipted' || s.status === 'paid') && (
            <Link to={`/cards/recovery?sales_no=${encodeURIComponent(s.sales_no)}`}>{t('sales.reverse')}</Link>
          )}
        </Space>
      ),
    },
  ];

  return (
    <ConsolePage title={t('menu.sales')} intro={t('sales.intro')}>
      <Card>
        <Form form={form} layout="vertical" onFinish={search} onReset={() => search({})} aria-label={t('menu.sales')}>
          <div className="ax-console-form-grid">
            <Form.Item name="status" label={t('sales.status')}>
              <Select allowClear placeholder={t('common.all')} options={SALE_STATUSES.map((s) => ({ value: s, label: t(`sales.statuses.${s}`) }))} />
            </Form.Item>
            <Form.Item name="doc_type_code" label={t('sale.docType')}>
              <CardTypeSelect allowClear placeholder={t('common.all')} />
            </Form.Item>
            <Form.Item name="seller_code" label={t('sale.seller')}>
              <Input autoComplete="off" />
            </Form.Item>
            <DayRangeItems fromLabel={t('sales.from')} toLabel={t('sales.to')} />
          </div>
          <FilterActions />
        </Form>
      </Card>
      <Problem error={sales.error} rest={rest} />
      <PagedTable<SaleRow>
        rowKey="id"
        columns={columns}
        rows={sales.data?.items}
        loading={sales.isFetching}
        paging={paging}
        nextAfter={sales.data?.next_after}
      />
    </ConsolePage>
  );
}
