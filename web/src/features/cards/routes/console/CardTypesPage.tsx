// 单证类型: the card types with their product, plans and validity; the head office creates one
// (its product and plans from the catalogue) and disables or enables it.
import { Alert, Button, Card, Form, Input, InputNumber, Modal, Select, Table, Tag, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Money } from '../../../../components/Money';
import { Problem } from '../../../../components/Problem';
import { useServerErrors } from '../../../../components/form/use-server-errors';
import { ConsolePage } from '../../../../components/layout/ConsolePage';
import { useCan } from '../../../../components/layout/console-caller';
import { parseYuan } from '../../../../lib/money';
import { useCardTypes, useCreateCardType, useSetCardTypeStatus, type CardType, type NewCardType } from '../../api/card-admin';
import { useProducts } from '../../api/reference';

type Values = Omit<NewCardType, 'face_value_fen' | 'term'> & { face_value: string; term: string };

const FIELDS = ['code', 'name', 'serial_prefix', 'product_code', 'plan_codes', 'default_plan_code', 'term', 'face_value', 'validity_days', 'start_rule', 'start_within_days'];

function NewTypeForm({ onDone }: { onDone: (type: CardType) => void }) {
  const { t, i18n } = useTranslation('cardsConsole');
  const { t: tc } = useTranslation();
  const [form] = Form.useForm<Values>();
  const create = useCreateCardType();
  const products = useProducts();
  const serverErrors = useServerErrors(form, { fields: FIELDS, aliases: { face_value_fen: 'face_value', 'term.unit': 'term', 'term.value': 'term' } });
  const productCode = Form.useWatch('product_code', form);
  const planCodes = Form.useWatch('plan_codes', form) ?? [];
  const startRule = Form.useWatch('start_rule', form);
  const product = products.data?.find((p) => p.code === productCode);
  const name = (x: { name_zh: string; name_en: string }) => (i18n.language === 'en' ? x.name_en : x.name_zh);

  const submit = (values: Values) => {
    serverErrors.clear();
    const face = parseYuan(values.face_value);
    const [unit = 'year', value = '1'] = values.term.split(':');
    if (!face.ok) return;
    create.mutate(
      {
        code: values.code.trim().toUpperCase(),
        name: values.name.trim(),
        serial_prefix: values.serial_prefix.trim().toUpperCase(),
        product_code: values.product_code,
        plan_codes: values.plan_codes,
        default_plan_code: values.default_plan_code,
        term: { unit: unit as NewCardType['term']['unit'], value: Number(value) },
        face_value_fen: face.value,
        validity_days: values.validity_days,
        start_rule: values.start_rule,
        ...(values.start_rule === 'holder_choice' ? { start_within_days: values.start_within_days ?? 0 } : {}),
      },
      { onSuccess: onDone, onError: serverErrors.onError },
    );
  };

  const required = (label: string) => [{ required: true, message: label }];
  return (
    <Form form={form} layout="vertical" onFinish={submit} disabled={create.isPending} initialValues={{ start_rule: 'next_day', validity_days: 365 }} aria-label={t('types.create')}>
      <div className="ax-console-form-grid">
        <Form.Item name="code" label={t('types.code')} extra={t('types.codeHint')} rules={required(t('types.code'))}>
          <Input autoComplete="off" maxLength={20} />
        </Form.Item>
        <Form.Item name="name" label={t('types.name')} rules={required(t('types.name'))}>
          <Input autoComplete="off" maxLength={60} />
        </Form.Item>
        <Form.Item name="serial_prefix" label={t('types.prefix')} extra={t('types.prefixHint')} rules={[...required(t('types.prefix')), { pattern: /^[A-Za-z]{2,4}$/, message: t('types.prefixHint') }]}>
          <Input autoComplete="off" maxLength={4} />
        </Form.Item>
        <Form.Item name="product_code" label={t('types.product')} rules={required(t('types.product'))}>
          <Select
            loading={products.isLoading}
            options={(products.data ?? []).map((p) => ({ value: p.code, label: `${p.code} · ${name(p)}` }))}
            onChange={() => form.setFieldsValue({ plan_codes: [], default_plan_code: undefined, term: undefined })}
          />
        </Form.Item>
        <Form.Item name="plan_codes" label={t('types.plans')} rules={required(t('types.plans'))}>
          <Select mode="multiple" options={(product?.plans ?? []).map((p) => ({ value: p.code, label: `${p.code} · ${name(p)}` }))} />
        </Form.Item>
        <Form.Item name="default_plan_code" label={t('types.defaultPlan')} extra={t('types.defaultPlanHint')} rules={required(t('types.defaultPlan'))}>
          <Select options={planCodes.map((code) => ({ value: code, label: code }))} />
        </Form.Item>
        <Form.Item name="term" label={t('types.term')} rules={required(t('types.term'))}>
          <Select
            options={(product?.terms ?? []).map((term) => ({
              value: `${term.unit}:${term.value}`,
              label: tc(`term.${term.unit}`, { count: term.value }),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="face_value"
          label={t('types.faceValue')}
          rules={[
            {
              validator: async (_rule, value: string) => {
                if (!parseYuan(value ?? '').ok) throw new Error(t('types.faceValue'));
              },
            },
          ]}
        >
          <Input inputMode="decimal" autoComplete="off" />
        </Form.Item>
        <Form.Item name="validity_days" label={t('types.validityDays')} extra={t('types.validityHint')} rules={required(t('types.validityDays'))}>
          <InputNumber min={1} max={3650} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="start_rule" label={t('types.startRule')}>
          <Select options={(['next_day', 'holder_choice'] as const).map((r) => ({ value: r, label: t(`types.rules.${r}`) }))} />
        </Form.Item>
        {startRule === 'holder_choice' && (
          <Form.Item name="start_within_days" label={t('types.startWithin')}>
            <InputNumber min={0} max={365} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        )}
      </div>
      <Problem error={create.error} rest={serverErrors.rest} />
      <Button type="primary" htmlType="submit" loading={create.isPending}>
        {t('types.create')}
      </Button>
    </Form>
  );
}

export default function CardTypesPage() {
  const { t } = useTranslation('cardsConsole');
  const { t: tc } = useTranslation();
  const can = useCan();
  const types = useCardTypes();
  const setStatus = useSetCardTypeStatus();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CardType | null>(null);

  const toggle = (type: CardType) => {
    if (type.status === 'active') {
      Modal.confirm({
        title: t('types.disableConfirm', { code: type.code }),
        okText: t('types.disable'),
        cancelText: t('common.cancel'),
        okButtonProps: { danger: true },
        onOk: () => setStatus.mutate({ id: type.id, status: 'disabled' }),
      });
    } else setStatus.mutate({ id: type.id, status: 'active' });
  };

  const columns: TableColumnsType<CardType> = [
    { title: t('types.code'), dataIndex: 'code', render: (c: string) => <code>{c}</code> },
    { title: t('types.name'), dataIndex: 'name' },
    { title: t('types.prefix'), dataIndex: 'serial_prefix' },
    { title: t('types.product'), dataIndex: 'product_code' },
    { title: t('types.plans'), render: (_, type) => type.plan_codes.join(', ') },
    { title: t('types.term'), render: (_, type) => tc(`term.${type.term.unit}`, { count: type.term.value }) },
    { title: t('types.faceValue'), align: 'right', render: (_, type) => <Money fen={type.face_value_fen} /> },
    { title: t('types.validityDays'), dataIndex: 'validity_days', align: 'right' },
    { title: t('types.status'), render: (_, type) => <Tag color={type.status === 'active' ? 'green' : 'default'}>{t(`types.${type.status}`)}</Tag> },
    ...(can('card.type.manage')
      ? [
          {
            title: t('common.actions'),
            render: (_: unknown, type: CardType) => (
              <Button size="small" danger={type.status === 'active'} onClick={() => toggle(type)} aria-label={`${t(type.status === 'active' ? 'types.disable' : 'types.enable')} ${type.code}`}>
                {t(type.status === 'active' ? 'types.disable' : 'types.enable')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <ConsolePage
      title={t('menu.types')}
      intro={t('types.intro')}
      extra={
        can('card.type.manage') && (
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('types.create')}
          </Button>
        )
      }
    >
      {created && <Alert type="success" showIcon role="status" message={t('types.created', { code: created.code })} />}
      <Problem error={types.error ?? setStatus.error} />
      <Card>
        <div className="ax-table-wrap">
          <Table<CardType>
            rowKey="id"
            columns={columns}
            dataSource={types.data ?? []}
            loading={types.isLoading}
            pagination={false}
            size="middle"
            locale={{ emptyText: <span className="ax-empty">{t('common.empty')}</span> }}
          />
        </div>
      </Card>
      {creating && (
        <Modal open title={t('types.create')} footer={null} width={860} onCancel={() => setCreating(false)}>
          <NewTypeForm
            onDone={(type) => {
              setCreated(type);
              setCreating(false);
            }}
          />
        </Modal>
      )}
    </ConsolePage>
  );
}
