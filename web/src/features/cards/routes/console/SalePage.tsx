// 销售登记: card type, selling organisation, seller and business source (all required), the cards
// by range or one by one; the answer is the sales number and the charge list (PDF).
import { Alert, Button, Card, Descriptions, Form, Input, Radio, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { Money } from '../../../../components/Money';
import { Problem } from '../../../../components/Problem';
import { useServerErrors } from '../../../../components/form/use-server-errors';
import { ConsolePage } from '../../../../components/layout/ConsolePage';
import { useCan } from '../../../../components/layout/console-caller';
import { BUSINESS_SOURCES, chargeListUrl, MAX_SALE_CARDS, SALE_WARNING_CARDS, useRegisterSale, type SaleRequest } from '../../api/card-sales';
import { useSubtreeOrgs } from '../../api/reference';
import { CardTypeSelect } from '../../components/console/CardTypeSelect';
import { PdfButton } from '../../components/console/PdfButton';
import { SerialRangeFields } from '../../components/console/SerialRangeFields';
import { checkSerialRange, parseSerialList } from '../../components/console/serial-range';

interface Values {
  doc_type_code: string;
  seller_org_code: string;
  seller_code: string;
  business_source: SaleRequest['business_source'];
  mode: 'range' | 'list';
  first_serial?: string;
  last_serial?: string;
  list?: string;
}

const FIELDS = ['doc_type_code', 'seller_org_code', 'seller_code', 'business_source', 'first_serial', 'last_serial', 'serials'];

export default function SalePage() {
  const { t } = useTranslation('cardsConsole');
  const can = useCan();
  const [form] = Form.useForm<Values>();
  const sale = useRegisterSale();
  const orgs = useSubtreeOrgs();
  const serverErrors = useServerErrors(form, { fields: FIELDS, aliases: { serials: 'list' } });
  const mode = Form.useWatch('mode', form) ?? 'range';
  const list = parseSerialList(Form.useWatch('list', form) ?? '');
  const range = checkSerialRange(Form.useWatch('first_serial', form), Form.useWatch('last_serial', form));
  const count = mode === 'list' ? list.length : range.ok ? range.count : 0;

  const submit = (values: Values) => {
    serverErrors.clear();
    const cards =
      values.mode === 'list'
        ? { serials: parseSerialList(values.list ?? '') }
        : { first_serial: (values.first_serial ?? '').trim().toUpperCase(), last_serial: (values.last_serial ?? '').trim().toUpperCase() };
    sale.mutate(
      {
        doc_type_code: values.doc_type_code,
        seller_org_code: values.seller_org_code,
        seller_code: values.seller_code.trim(),
        business_source: values.business_source,
        ...cards,
      },
      { onError: serverErrors.onError },
    );
  };

  const done = sale.data;
  const required = (label: string) => [{ required: true, whitespace: true, message: label }];
  return (
    <ConsolePage title={t('menu.sale')} intro={t('sale.intro')}>
      <Card>
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          disabled={sale.isPending}
          initialValues={{ mode: 'range', business_source: 'direct' }}
          aria-label={t('menu.sale')}
        >
          <div className="ax-console-form-grid">
            <Form.Item name="doc_type_code" label={t('sale.docType')} rules={required(t('sale.docType'))}>
              <CardTypeSelect />
            </Form.Item>
            <Form.Item name="seller_org_code" label={t('sale.sellerOrg')} rules={required(t('sale.sellerOrg'))}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                loading={orgs.isLoading}
                options={(orgs.data ?? []).map((org) => ({ value: org.code, label: `${org.code} · ${org.name}` }))}
              />
            </Form.Item>
            <Form.Item name="seller_code" label={t('sale.seller')} rules={required(t('sale.seller'))}>
              <Input autoComplete="off" placeholder={t('sale.sellerPlaceholder')} />
            </Form.Item>
            <Form.Item name="business_source" label={t('sale.businessSource')} rules={required(t('sale.businessSource'))}>
              <Select options={BUSINESS_SOURCES.map((s) => ({ value: s, label: t(`sale.sources.${s}`) }))} />
            </Form.Item>
          </div>
          <Form.Item name="mode" label={t('sale.mode')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'range', label: t('sale.modeRange') },
                { value: 'list', label: t('sale.modeList') },
              ]}
            />
          </Form.Item>
          {mode === 'range' ? (
            <div className="ax-console-form-grid">
              <SerialRangeFields />
            </div>
          ) : (
            <Form.Item
              name="list"
              label={t('sale.list')}
              extra={t('sale.listCount', { count: list.length })}
              rules={[
                { required: true, message: t('sale.list') },
                {
                  validator: async (_rule, value: string) => {
                    if (parseSerialList(value ?? '').length > MAX_SALE_CARDS) throw new Error(t('sale.tooMany', { max: MAX_SALE_CARDS }));
                  },
                },
              ]}
            >
              <Input.TextArea rows={5} placeholder={t('sale.listPlaceholder')} className="ax-serial" />
            </Form.Item>
          )}
          {count > SALE_WARNING_CARDS && (
            <Alert type="warning" showIcon message={t('sale.bulkWarning', { count, limit: SALE_WARNING_CARDS })} style={{ marginBottom: 12 }} />
          )}
          <Button type="primary" htmlType="submit" loading={sale.isPending}>
            {t('sale.submit')}
          </Button>
        </Form>
      </Card>
      <Problem error={sale.error} rest={serverErrors.rest} />
      {done && (
        <Card title={<h2 className="ax-card-title">{t('sale.done')}</h2>}>
          <Descriptions column={{ xs: 1, sm: 2 }} size="small">
            <Descriptions.Item label={t('sale.salesNo')}>
              <strong className="ax-serial" data-testid="sales-no">
                {done.sales_no}
              </strong>
            </Descriptions.Item>
            <Descriptions.Item label={t('common.quantity')}>{t('common.cards', { count: done.quantity })}</Descriptions.Item>
            <Descriptions.Item label={t('common.amount')}>
              <Money fen={done.amount_fen} />
            </Descriptions.Item>
            <Descriptions.Item label={t('sale.seller')}>{done.seller_name ?? done.seller_code}</Descriptions.Item>
          </Descriptions>
          {done.warnings.map((w) => (
            <Alert key={w.code} type="warning" showIcon message={w.message} style={{ marginBottom: 8 }} />
          ))}
          <p>{t('sale.nextHint')}</p>
          <Space wrap>
            <PdfButton href={chargeListUrl(done)} label={t('sale.chargeList')} primary />
            {can('card.payment') && <Link to={`/cards/receipts?sales_no=${encodeURIComponent(done.sales_no)}`}>{t('sale.nextReceipt')}</Link>}
          </Space>
        </Card>
      )}
    </ConsolePage>
  );
}
