// 发票查询: a blue or red-letter invoice by number, its details and its PDF.
import { Alert, Button, Card, Descriptions, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';

import { DateText } from '../../../../components/DateText';
import { Money } from '../../../../components/Money';
import { Problem } from '../../../../components/Problem';
import { ConsolePage } from '../../../../components/layout/ConsolePage';
import { isApiError } from '../../../../lib/api/errors';
import { invoicePdfUrl, useInvoice } from '../../api/card-sales';
import { PdfButton } from '../../components/console/PdfButton';

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
    </ConsolePage>
  );
}
