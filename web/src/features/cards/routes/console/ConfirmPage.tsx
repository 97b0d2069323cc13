// 收费确认: by receipt number, the cashier checks the money received (it must equal the receipt)
// and confirms; a charge then has its invoice, a refund its red-letter invoice, both as PDF.
import { Alert, Button, Card, Descriptions, Form, Input, Space, Tag, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';

import { DateText } from '../../../../components/DateText';
import { Money } from '../../../../components/Money';
import { Problem } from '../../../../components/Problem';
import { useServerErrors } from '../../../../components/form/use-server-errors';
import { ConsolePage } from '../../../../components/layout/ConsolePage';
import { useCursorPaging } from '../../../../components/table/cursor-paging';
import { PagedTable } from '../../../../components/table/PagedTable';
import { formatMoney } from '../../../../lib/format';
import { fenToYuanInput, parseYuan } from '../../../../lib/money';
import { invoicePdfUrl, receiptPdfUrl, useConfirmReceipt, useReceipt, useReceipts, type Receipt } from '../../api/card-sales';
import { PdfButton } from '../../components/console/PdfButton';

interface Values {
  amount: string;
  payer_name?: string;
  bank_reference?: string;
}

function ConfirmForm({ receipt }: { receipt: Receipt }) {
  const { t } = useTranslation('cardsConsole');
  const [form] = Form.useForm<Values>();
  const confirm = useConfirmReceipt();
  const serverErrors = useServerErrors(form, { fields: ['amount', 'payer_name', 'bank_reference'], aliases: { amount_fen: 'amount' } });
  const refund = receipt.kind === 'refund';

  const submit = (values: Values) => {
    serverErrors.clear();
    const amount = parseYuan(values.amount);
    if (!amount.ok) return;
    confirm.mutate(
      {
        receiptNo: receipt.receipt_no,
        confirmation: {
          amount_fen: amount.value,
          ...(values.payer_name?.trim() ? { payer_name: values.payer_name.trim() } : {}),
          ...(values.bank_reference?.trim() ? { bank_reference: values.bank_reference.trim() } : {}),
        },
      },
      { onError: serverErrors.onError },
    );
  };

  if (confirm.data) {
    const invoice = confirm.data.invoice;
    const red = invoice.kind === 'red';
    return (
      <Card title={<h2 className="ax-card-title">{t(`invoices.kinds.${invoice.kind}`)}</h2>}>
        <Alert type="success" showIcon role="status" message={t(red ? 'confirm.doneRed' : 'confirm.done', { no: invoice.invoice_no })} style={{ marginBottom: 12 }} />
        <Descriptions column={{ xs: 1, sm: 2 }} size="small">
          <Descriptions.Item label={t('invoices.invoiceNo')}>
            <strong className="ax-serial" data-testid="invoice-no">
              {invoice.invoice_no}
            </strong>
          </Descriptions.Item>
          <Descriptions.Item label={t('common.amount')}>
            <Money fen={invoice.amount_fen} />
          </Descriptions.Item>
          {invoice.original_invoice_no && <Descriptions.Item label={t('invoices.original')}>{invoice.original_invoice_no}</Descriptions.Item>}
        </Descriptions>
        <PdfButton href={invoicePdfUrl(invoice.invoice_no)} label={t(red ? 'invoices.redPdf' : 'invoices.pdf')} primary />
      </Card>
    );
  }

  return (
    <Card title={<h2 className="ax-card-title">{t(`receipts.kinds.${receipt.kind}`)}</h2>}>
      <Descriptions column={{ xs: 1, sm: 2 }} size="small">
        <Descriptions.Item label={t('receipts.receiptNo')}>{receipt.receipt_no}</Descriptions.Item>
        <Descriptions.Item label={t('common.amount')}>
          <Money fen={receipt.amount_fen} />
        </Descriptions.Item>
        <Descriptions.Item label={t('receipts.status')}>{t(`receipts.statuses.${receipt.status}`)}</Descriptions.Item>
        {receipt.sales_no && <Descriptions.Item label={t('receipts.salesNo')}>{receipt.sales_no}</Descriptions.Item>}
        {receipt.recovery_no && <Descriptions.Item label={t('receipts.recoveryNo')}>{receipt.recovery_no}</Descriptions.Item>}
      </Descriptions>
      <Space wrap style={{ marginBottom: 12 }}>
        <PdfButton href={receiptPdfUrl(receipt.receipt_no)} label={t('receipts.pdf')} />
        {receipt.invoice_no && <PdfButton href={invoicePdfUrl(receipt.invoice_no)} label={t('invoices.pdf')} />}
      </Space>
      {receipt.status === 'confirmed' ? (
        <Alert type="info" showIcon message={t('confirm.already')} />
      ) : (
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          disabled={confirm.isPending}
          initialValues={{ amount: fenToYuanInput(receipt.amount_fen) }}
          aria-label={t('menu.confirm')}
        >
          <div className="ax-console-form-grid">
            <Form.Item
              name="amount"
              label={t(refund ? 'confirm.refundAmount' : 'confirm.amount')}
              extra={t('confirm.amountHint', { amount: formatMoney(receipt.amount_fen) })}
              rules={[
                {
                  validator: async (_rule, value: string) => {
                    const amount = parseYuan(value ?? '');
                    if (!amount.ok) throw new Error(t('confirm.mismatch'));
                    if (amount.value !== receipt.amount_fen) throw new Error(t('confirm.mismatch'));
                  },
                },
              ]}
            >
              <Input inputMode="decimal" autoComplete="off" />
            </Form.Item>
            <Form.Item name="payer_name" label={t('confirm.payer')}>
              <Input autoComplete="off" maxLength={100} />
            </Form.Item>
            <Form.Item name="bank_reference" label={t('confirm.bankReference')}>
              <Input autoComplete="off" maxLength={64} />
            </Form.Item>
          </div>
          <Button type="primary" htmlType="submit" loading={confirm.isPending}>
            {t(refund ? 'confirm.submitRefund' : 'confirm.submit')}
          </Button>
        </Form>
      )}
      <div style={{ marginTop: 12 }}>
        <Problem error={confirm.error} rest={serverErrors.rest} />
      </div>
    </Card>
  );
}

// The receipts of the caller's subtree still awaiting their funds, oldest first: picking one
// opens it for confirmation.
function PendingReceipts({ onPick }: { onPick: (receiptNo: string) => void }) {
  const { t } = useTranslation('cardsConsole');
  const paging = useCursorPaging();
  const receipts = useReceipts({ status: 'issued', after: paging.after, limit: 20 });
  const columns: TableColumnsType<Receipt> = [
    {
      title: t('receipts.receiptNo'),
      render: (_, r) => (
        <Button type="link" className="ax-serial" style={{ padding: 0 }} onClick={() => onPick(r.receipt_no)}>
          {r.receipt_no}
        </Button>
      ),
    },
    { title: t('receipts.kind'), render: (_, r) => <Tag>{t(`receipts.kinds.${r.kind}`)}</Tag> },
    { title: t('common.amount'), align: 'right', render: (_, r) => <Money fen={r.amount_fen} /> },
    { title: t('confirm.source'), render: (_, r) => <span className="ax-serial">{r.sales_no ?? r.recovery_no ?? ''}</span> },
    { title: t('receipts.issuedAt'), render: (_, r) => <DateText value={r.issued_at} withTime /> },
  ];
  return (
    <Card title={<h2 className="ax-card-title">{t('confirm.pending')}</h2>}>
      <Problem error={receipts.error} />
      <PagedTable<Receipt>
        rowKey="receipt_no"
        columns={columns}
        rows={receipts.data?.items}
        loading={receipts.isFetching}
        paging={paging}
        nextAfter={receipts.data?.next_after}
      />
    </Card>
  );
}

export default function ConfirmPage() {
  const { t } = useTranslation('cardsConsole');
  const [params, setParams] = useSearchParams();
  const receiptNo = (params.get('receipt_no') ?? '').trim();
  const receipt = useReceipt(receiptNo);
  const [typed, setTyped] = useState(receiptNo);
  return (
    <ConsolePage title={t('menu.confirm')} intro={t('confirm.intro')}>
      <Card>
        <form
          className="ax-console-actions"
          aria-label={t('confirm.lookup')}
          onSubmit={(e) => {
            e.preventDefault();
            setParams({ receipt_no: typed.trim() });
          }}
        >
          <label htmlFor="confirm-receipt-no">{t('confirm.receiptNo')}</label>
          <Input id="confirm-receipt-no" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" style={{ width: 260 }} />
          <Button type="primary" htmlType="submit">
            {t('confirm.lookup')}
          </Button>
        </form>
      </Card>
      <Problem error={receipt.error} />
      {receipt.data && <ConfirmForm key={receipt.data.receipt_no} receipt={receipt.data} />}
      <PendingReceipts
        onPick={(no) => {
          setTyped(no);
          setParams({ receipt_no: no });
        }}
      />
    </ConsolePage>
  );
}
