// 发票查询: the invoices of the caller's subtree by kind and issue day, and a blue or red-letter
// invoice by number, its details and its PDF.
import { Alert, Button, Card, Descriptions, Form, Input, Select, Tag, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';

import { DateText } from '../../../../components/DateText';
import { Money } from '../../../../components/Money';
import { Problem } from '../../../../components/Problem';
import { DayRangeItems } from '../../../../components/form/DayRangeItems';
import { useFieldErrorsOf } from '../../../../components/form/use-server-errors';
import { ConsolePage } from '../../../../components/layout/ConsolePage';
import { useCursorPaging } from '../../../../components/table/cursor-paging';
import { FilterActions, PagedTable } from '../../../../components/table/PagedTable';
import { isApiError } from '../../../../lib/api/errors';
import { invoicePdfUrl, useInvoice, useInvoices, type Invoice, type InvoiceQuery } from '../../api/card-sales';
import { PdfButton } from '../../components/console/PdfButton';

type Filters = Omit<InvoiceQuery, 'after' | 'limit'>;
type Values = Omit<Filters, 'from' | 'to'> & { from?: Dayjs | null; to?: Dayjs | null };
const FIELDS = ['kind', 'from', 'to'];
const KINDS: readonly Invoice['kind'][] = ['blue', 'red'];

// The invoices of the caller's subtree, oldest first: picking one shows it.
function InvoiceList({ onPick }: { onPick: (invoiceNo: string) => void }) {
  const { t } = useTranslation('cardsConsole');
  const [form] = Form.useForm<Values>();
  const [filters, setFilters] = useState<Filters>({});
  const paging = useCursorPaging();
  const invoices = useInvoices({ ...filters, after: paging.after, limit: 50 });
  const rest = useFieldErrorsOf(form, invoices.error, FIELDS);
  const search = (values: Values) => {
    const next: Filters = {};
    if (values.kind) next.kind = values.kind;
    if (values.from) next.from = values.from.format('YYYY-MM-DD');
    if (values.to) next.to = values.to.format('YYYY-MM-DD');
    setFilters(next);
    paging.reset();
  };
  const columns: TableColumnsType<Invoice> = [
    {
      title: t('invoices.invoiceNo'),
      render: (_, i) => (
        <Button type="link" className="ax-serial" style={{ padding: 0 }} onClick={() => onPick(i.invoice_no)}>
          {i.invoice_no}
        </Button>
      ),
    },
    { title: t('invoices.kind'), render: (_, i) => <Tag color={i.kind === 'red' ? 'red' : 'blue'}>{t(`invoices.kinds.${i.kind}`)}</Tag> },
    { title: t('common.amount'), align: 'right', render: (_, i) => <Money fen={i.amount_fen} /> },
    { title: t('invoices.buyer'), render: (_, i) => i.buyer_name ?? '' },
    { title: t('receipts.receiptNo'), render: (_, i) => <span className="ax-serial">{i.receipt_no}</span> },
    { title: t('invoices.issuedAt'), render: (_, i) => <DateText value={i.issued_at} withTime /> },
  ];
  return (
    <>
      <Card title={<h2 className="ax-card-title">{t('invoices.list')}</h2>}>
        <Form form={form} layout="vertical" onFinish={search} onReset={() => search({})} aria-label={t('invoices.list')}>
          <div className="ax-console-form-grid">
            <Form.Item name="kind" label={t('invoices.kind')}>
              <Select allowClear placeholder={t('common.all')} options={KINDS.map((k) => ({ value: k, label: t(`invoices.kinds.${k}`) }))} />
            </Form.Item>
            <DayRangeItems fromLabel={t('invoices.from')} toLabel={t('invoices.to')} />
          </div>
          <FilterActions />
        </Form>
      </Card>
      <Problem error={invoices.error} rest={rest} />
      <PagedTable<Invoice>
        rowKey="invoice_no"
        columns={columns}
        rows={invoices.data?.items}
        loading={invoices.isFetching}
        paging={paging}
        nextAfter={invoices.data?.next_after}
      />
    </>
  );
}

export default function InvoicesPage() {
  const { t } = useTranslation('cardsConsole');
  const [params, setParams] = useSearchParams();
  const invoiceNo = (params.get('invoice_no') ?? '').trim();
  const invoice = useInvoice(invoiceNo);
  const [typed, setTyped] = useState(invoiceNo);
  const data = invoice.data;
  return (
    <ConsolePage title={t('menu.invoices')} intro={t('invoices.intro')}>
      <Card>
        <form
          className="ax-console-actions"
          aria-label={t('menu.invoices')}
          onSubmit={(e) => {
            e.preventDefault();
            setParams({ invoice_no: typed.trim() });
          }}
        >
          <label htmlFor="invoice-no">{t('invoices.invoiceNo')}</label>
          <Input id="invoice-no" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" style={{ width: 260 }} />
          <Button type="primary" htmlType="submit">
            {t('common.search')}
          </Button>
        </form>
      </Card>
      {isApiError(invoice.error) && invoice.error.status === 404 ? (
        <Alert type="warning" showIcon role="alert" message={t('common.notFound')} />
      ) : (
        <Problem error={invoice.error} />
      )}
      {data && (
        <Card title={<h2 className="ax-card-title">{`${t(`invoices.kinds.${data.kind}`)} ${data.invoice_no}`}</h2>}>
          <Descriptions column={{ xs: 1, sm: 2 }} size="small">
            <Descriptions.Item label={t('common.amount')}>
              <Money fen={data.amount_fen} />
            </Descriptions.Item>
            <Descriptions.Item label={t('invoices.issuedAt')}>
              <DateText value={data.issued_at} withTime />
            </Descriptions.Item>
            {data.buyer_name && <Descriptions.Item label={t('invoices.buyer')}>{data.buyer_name}</Descriptions.Item>}
            <Descriptions.Item label={t('receipts.receiptNo')}>{data.receipt_no}</Descriptions.Item>
            {data.sales_no && <Descriptions.Item label={t('receipts.salesNo')}>{data.sales_no}</Descriptions.Item>}
            {data.recovery_no && <Descriptions.Item label={t('receipts.recoveryNo')}>{data.recovery_no}</Descriptions.Item>}
            {data.original_invoice_no && <Descriptions.Item label={t('invoices.original')}>{data.original_invoice_no}</Descriptions.Item>}
          </Descriptions>
          <PdfButton href={invoicePdfUrl(data.invoice_no)} label={t(data.kind === 'red' ? 'invoices.redPdf' : 'invoices.pdf')} primary />
        </Card>
      )}
      <InvoiceList
        onPick={(no) => {
          setTyped(no);
          setParams({ invoice_no: no });
        }}
      />
    </ConsolePage>
  );
}
