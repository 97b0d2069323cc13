// One card (保险卡详情): its details, its history (卡片轨迹), and report lost (挂失) / unfreeze
// (解挂) for callers with card.freeze. The card is looked up by serial (?serial=).
import { Alert, Button, Card, Descriptions, Form, Input, Modal, Table, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';

import { ActorName } from '../../../../components/ActorName';
import { DateText } from '../../../../components/DateText';
import { Problem } from '../../../../components/Problem';
import { serialRules, TYPING_TRIGGERS } from '../../../../components/form/rules';
import { ConsolePage } from '../../../../components/layout/ConsolePage';
import { useCan } from '../../../../components/layout/console-caller';
import { isApiError } from '../../../../lib/api/errors';
import { useCard, useCardHistory, type CardDetail, type HistoryItem } from '../../api/card-stock';
import { useFreezeCard } from '../../api/card-sales';
import { CardStatusTag, useCardStatusLabel } from '../../components/console/CardStatusTag';
import { PolicyAndLedger } from '../../components/console/PolicyAndLedger';
import cardsConsoleZh from '../../i18n/console/zh-CN';

type ActionName = keyof typeof cardsConsoleZh.card.actions;
type RefName = keyof typeof cardsConsoleZh.card.refs;
const FREEZABLE = new Set(['in_stock', 'sold', 'awaiting_activation']);

function FreezeDialog({ card, onClose }: { card: CardDetail; onClose: () => void }) {
  const { t } = useTranslation('cardsConsole');
  const statusLabel = useCardStatusLabel();
  // Decided when the dialog opens: the card's status changes under it once the change is made.
  const [freeze] = useState(() => card.status.name !== 'frozen');
  const change = useFreezeCard();
  const [form] = Form.useForm<{ reason: string }>();
  const submit = ({ reason }: { reason: string }) =>
    change.mutate(
      { serial: card.serial, freeze, reason: reason?.trim() ?? '' },
      {
        onError: (error) => {
          if (isApiError(error)) {
            const at = error.errors.filter((e) => e.field === 'reason').map((e) => e.message);
            if (at.length > 0) form.setFields([{ name: 'reason', errors: at }]);
          }
        },
      },
    );
  return (
    <Modal
      open
      title={t(freeze ? 'card.freezeTitle' : 'card.unfreezeTitle', { serial: card.serial })}
      onCancel={onClose}
      footer={null}
    >
      {change.isSuccess ? (
        <>
          <Alert
            type="success"
            showIcon
            role="status"
            message={
              freeze
                ? t('card.frozen', { serial: card.serial })
                : t('card.unfrozen', { serial: card.serial, status: statusLabel(change.data.status.name) })
            }
          />
          <Button style={{ marginTop: 12 }} type="primary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
        </>
      ) : (
        <Form form={form} layout="vertical" onFinish={submit} disabled={change.isPending}>
          {freeze && <p>{t('card.freezeHint')}</p>}
          <Form.Item
            name="reason"
            label={t(freeze ? 'card.freezeReason' : 'card.unfreezeReason')}
            rules={freeze ? [{ required: true, whitespace: true, message: t('card.freezeReason') }] : []}
          >
            <Input.TextArea rows={2} maxLength={200} />
          </Form.Item>
          <Problem error={change.error} />
          <Button type="primary" danger={freeze} htmlType="submit" loading={change.isPending}>
            {t(freeze ? 'card.freeze' : 'card.unfreeze')}
          </Button>
        </Form>
      )}
    </Modal>
  );
}

function History({ serial }: { serial: string }) {
  const { t } = useTranslation('cardsConsole');
  const statusLabel = useCardStatusLabel();
  const history = useCardHistory(serial);
  const actionLabel = (action: string) =>
    action in cardsConsoleZh.card.actions ? t(`card.actions.${action as ActionName}`) : action;
  const refLabel = (ref: string) => (ref in cardsConsoleZh.card.refs ? t(`card.refs.${ref as RefName}`) : ref);
  const columns: TableColumnsType<HistoryItem> = [
    { title: t('card.historyAt'), render: (_, item) => <DateText value={item.at} withTime /> },
    { title: t('card.historyAction'), render: (_, item) => actionLabel(item.action) },
    {
      title: t('card.historyStatus'),
      render: (_, item) =>
        item.to_status ? `${item.from_status ? statusLabel(item.from_status) : '—'} → ${statusLabel(item.to_status)}` : '',
    },
    { title: t('card.historyActor'), render: (_, item) => <ActorName actor={item} /> },
    {
      title: t('card.historyRef'),
      render: (_, item) =>
        item.ref_type ? (
          <>
            {refLabel(item.ref_type)} <span className="ax-serial">{item.ref_no ?? item.ref_id ?? ''}</span>
          </>
        ) : (
          ''
        ),
    },
  ];
  return (
    <Card title={<h2 className="ax-card-title">{t('card.history')}</h2>}>
      <Problem error={history.error} />
      <div className="ax-table-wrap">
        <Table<HistoryItem>
          rowKey={(item) => `${item.at}:${item.action}:${item.ref_id ?? ''}`}
          columns={columns}
          dataSource={history.data?.items ?? []}
          loading={history.isLoading}
          pagination={false}
          size="small"
          locale={{ emptyText: <span className="ax-empty">{t('common.empty')}</span> }}
        />
      </div>
    </Card>
  );
}

// `lost`: the page as the menu's 挂失与解挂 (its own title, the report-lost explanation first).
export default function CardPage({ lost = false }: { lost?: boolean }) {
  const { t } = useTranslation('cardsConsole');
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const serial = (params.get('serial') ?? '').trim().toUpperCase();
  const card = useCard(serial);
  const [dialog, setDialog] = useState(false);
  const [form] = Form.useForm<{ serial: string }>();

  const notFound = isApiError(card.error) && card.error.status === 404;
  const data = card.data;
  return (
    <ConsolePage title={t(lost ? 'menu.lost' : 'menu.card')} intro={lost || can('card.freeze') ? t('lost.intro') : undefined}>
      <Card>
        <Form
          form={form}
          layout="inline"
          initialValues={{ serial }}
          onFinish={({ serial: typed }) => setParams({ serial: typed.trim().toUpperCase() })}
          aria-label={t('menu.card')}
        >
          <Form.Item name="serial" label={t('common.serial')} rules={serialRules()} validateTrigger={TYPING_TRIGGERS} validateFirst>
            <Input autoComplete="off" className="ax-serial" style={{ width: 240 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('lost.lookup')}
          </Button>
        </Form>
      </Card>
      {notFound && <Alert type="warning" showIcon role="alert" message={t('card.notFound', { serial })} />}
      {!notFound && <Problem error={card.error} />}
      {data && (
        <>
          <Card
            title={<h2 className="ax-card-title ax-serial">{data.serial}</h2>}
            extra={
              can('card.freeze') &&
              (data.status.name === 'frozen' || FREEZABLE.has(data.status.name)) && (
                <Button danger={data.status.name !== 'frozen'} onClick={() => setDialog(true)}>
                  {t(data.status.name === 'frozen' ? 'card.unfreeze' : 'card.freeze')}
                </Button>
              )
            }
          >
            <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
              <Descriptions.Item label={t('card.type')}>{`${data.card_type.code} · ${data.card_type.name}`}</Descriptions.Item>
              <Descriptions.Item label={t('card.status')}>
                <CardStatusTag status={data.status} />
              </Descriptions.Item>
              {data.status_before_freeze && (
                <Descriptions.Item label={t('card.before')}>
                  <CardStatusTag status={data.status_before_freeze} />
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('card.holder')}>{data.holder.name}</Descriptions.Item>
              <Descriptions.Item label={t('card.validUntil')}>
                <DateText value={data.valid_until} />
              </Descriptions.Item>
              <Descriptions.Item label={t('card.updatedAt')}>
                <DateText value={data.updated_at} withTime />
              </Descriptions.Item>
              <Descriptions.Item label={t('card.batch')}>
                <span className="ax-serial" data-testid="card-batch-no">
                  {data.batch_no}
                </span>
              </Descriptions.Item>
              <Descriptions.Item label={t('card.sale')}>
                {data.sales_no ? (
                  <span className="ax-serial" data-testid="card-sales-no">
                    {data.sales_no}
                  </span>
                ) : (
                  t('common.none')
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('card.policy')}>
                {data.policy_no ? <span className="ax-serial">{data.policy_no}</span> : t('common.none')}
              </Descriptions.Item>
            </Descriptions>
          </Card>
          {data.policy_id && <PolicyAndLedger policyId={data.policy_id} />}
          <History serial={data.serial} />
          {dialog && <FreezeDialog card={data} onClose={() => setDialog(false)} />}
        </>
      )}
    </ConsolePage>
  );
}
