// 收费收据: the cashier issues a charge receipt for a sales number, or a refund receipt for a
// recovery number, and opens it as PDF; the next step is the payment confirmation.
import { Alert, Button, Card, Descriptions, Form, Input, Radio, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';

import { Money } from '../../../../components/Money';
import { Problem } from '../../../../components/Problem';
import { useServerErrors } from '../../../../components/form/use-server-errors';
import { ConsolePage } from '../../../../components/layout/ConsolePage';
import { formatMoney } from '../../../../lib/format';
import { receiptPdfUrl, useIssueReceipt } from '../../api/card-sales';
import { PdfButton } from '../../components/console/PdfButton';

interface Values {
  kind: 'charge' | 'refund';
  number: string;
}

export default function ReceiptsPage() {
  const { t } = useTranslation('cardsConsole');
  const [params] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const issue = useIssueReceipt();
  const serverErrors = useServerErrors(form, { fields: ['number'], aliases: { sales_no: 'number', recovery_no: 'number' } });
  const kind = Form.useWatch('kind', form) ?? (params.get('recovery_no') ? 'refund' : 'charge');

  const submit = (values: Values) => {
    serverErrors.clear();
    const number = values.number.trim();
    issue.mutate(values.kind === 'refund' ? { recovery_no: number } : { sales_no: number }, { onError: serverErrors.onError });
  };

  const receipt = issue.data;
  const numberLabel = kind === 'refund' ? t('receipts.recoveryNo') : t('receipts.salesNo');
  return (
    <ConsolePage title={t('menu.receipts')} intro={t('receipts.intro')}>
      <Card>
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          disabled={issue.isPending}
          initialValues={{
            kind: params.get('recovery_no') ? 'refund' : 'charge',
            number: params.get('recovery_no') ?? params.get('sales_no') ?? '',
          }}
          aria-label={t('menu.receipts')}
        >
          <Form.Item name="kind" label={t('receipts.kind')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'charge', label: t('receipts.kinds.charge') },
                { value: 'refund', label: t('receipts.kinds.refund') },
              ]}
            />
          </Form.Item>
          <Form.Item name="number" label={numberLabel} rules={[{ required: true, whitespace: true, message: numberLabel }]} style={{ maxWidth: 360 }}>
            <Input autoComplete="off" className="ax-serial" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={issue.isPending}>
            {t('receipts.submit')}
          </Button>
        </Form>
      </Card>
      <Problem error={issue.error} rest={serverErrors.rest} />
      {receipt && (
        <Card title={<h2 className="ax-card-title">{t(`receipts.kinds.${receipt.kind}`)}</h2>}>
          <Alert
            type="success"
            showIcon
            role="status"
            message={t('receipts.done', { no: receipt.receipt_no, amount: formatMoney(receipt.amount_fen) })}
            style={{ marginBottom: 12 }}
          />
          <Descriptions column={{ xs: 1, sm: 2 }} size="small">
            <Descriptions.Item label={t('receipts.receiptNo')}>
              <strong className="ax-serial" data-testid="receipt-no">
                {receipt.receipt_no}
              </strong>
            </Descriptions.Item>
            <Descriptions.Item label={t('common.amount')}>
              <Money fen={receipt.amount_fen} />
            </Descriptions.Item>
            <Descriptions.Item label={t('receipts.status')}>{t(`receipts.statuses.${receipt.status}`)}</Descriptions.Item>
            {receipt.sales_no && <Descriptions.Item label={t('receipts.salesNo')}>{receipt.sales_no}</Descriptions.Item>}
            {receipt.recovery_no && <Descriptions.Item label={t('receipts.recoveryNo')}>{receipt.recovery_no}</Descriptions.Item>}
          </Descriptions>
          <Space wrap>
            <PdfButton href={receiptPdfUrl(receipt.receipt_no)} label={t('receipts.pdf')} />
            <Link to={`/cards/confirm?receipt_no=${encodeURIComponent(receipt.receipt_no)}`}>{t('receipts.toConfirm')}</Link>
          </Space>
        </Card>
      )}
    </ConsolePage>
  );
}
