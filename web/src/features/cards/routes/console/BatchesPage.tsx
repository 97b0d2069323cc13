// 批次管理: the head office creates a batch of cards of one type (big batches show a pending state
// with the time so far), and exports each batch's passwords once, behind a confirmation that says
// the export can happen only once.
import { Alert, Button, Card, Checkbox, DatePicker, Form, InputNumber, Modal, Table, Tag, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { DateText } from '../../../../components/DateText';
import { Problem } from '../../../../components/Problem';
import { useServerErrors } from '../../../../components/form/use-server-errors';
import { ConsolePage } from '../../../../components/layout/ConsolePage';
import { useCan } from '../../../../components/layout/console-caller';
import { saveFile } from '../../../../lib/download';
import { formatDateTime } from '../../../../lib/format';
import { useCardBatches, useCreateCardBatch, useExportPasswords, type CardBatch } from '../../api/card-admin';
import { CardTypeSelect } from '../../components/console/CardTypeSelect';

interface Values {
  card_type_id: string;
  quantity: number;
  valid_until?: Dayjs | null;
}

const BIG_BATCH = 10_000;
const MAX_BATCH = 1_000_000;

function Elapsed() {
  const { t } = useTranslation('cardsConsole');
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setSeconds((s) => s + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  return <span>{t('common.elapsed', { seconds })}</span>;
}

function ExportDialog({ batch, onClose }: { batch: CardBatch; onClose: () => void }) {
  const { t } = useTranslation('cardsConsole');
  const exporter = useExportPasswords();
  const [acknowledged, setAcknowledged] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const run = () =>
    exporter.mutate(batch, {
      onSuccess: (file) => {
        saveFile(file.blob, file.fileName);
        setDone(file.fileName);
      },
    });
  return (
    <Modal
      open
      title={t('batches.exportTitle', { no: batch.batch_no })}
      onCancel={onClose}
      footer={
        done
          ? [
              <Button key="close" type="primary" onClick={onClose}>
                {t('common.cancel')}
              </Button>,
            ]
          : [
              <Button key="cancel" onClick={onClose} disabled={exporter.isPending}>
                {t('common.cancel')}
              </Button>,
              <Button key="export" type="primary" danger disabled={!acknowledged} loading={exporter.isPending} onClick={run}>
                {t('batches.exportConfirm')}
              </Button>,
            ]
      }
    >
      {done ? (
        <Alert type="success" showIcon role="status" message={t('batches.exportDone', { count: batch.quantity, file: done })} />
      ) : (
        <>
          <Alert type="warning" showIcon message={t('batches.exportOnce')} style={{ marginBottom: 12 }} />
          <p>{t('batches.exportWhere', { count: batch.quantity })}</p>
          <Checkbox checked={acknowledged} onChange={(e) => setAcknowledged(e.target.checked)}>
            {t('batches.exportAcknowledge')}
          </Checkbox>
          <Problem error={exporter.error} />
        </>
      )}
    </Modal>
  );
}

export default function BatchesPage() {
  const { t } = useTranslation('cardsConsole');
  const can = useCan();
  const [form] = Form.useForm<Values>();
  const create = useCreateCardBatch();
  const batches = useCardBatches();
  const [exporting, setExporting] = useState<CardBatch | null>(null);
  const [pendingCount, setPendingCount] = useState(0);
  const serverErrors = useServerErrors(form, { fields: ['card_type_id', 'quantity', 'valid_until'] });

  const submit = (values: Values) => {
    serverErrors.clear();
    setPendingCount(values.quantity);
    create.mutate(
      {
        card_type_id: values.card_type_id,
        quantity: values.quantity,
        ...(values.valid_until ? { valid_until: values.valid_until.format('YYYY-MM-DD') } : {}),
      },
      { onSuccess: () => form.resetFields(), onError: serverErrors.onError },
    );
  };

  const columns: TableColumnsType<CardBatch> = [
    { title: t('batches.batchNo'), dataIndex: 'batch_no', render: (no: string) => <span className="ax-serial">{no}</span> },
    { title: t('batches.type'), dataIndex: 'card_type_code' },
    { title: t('common.quantity'), dataIndex: 'quantity', align: 'right' },
    {
      title: t('batches.range'),
      render: (_, b) => (
        <span className="ax-serial">
          {b.first_serial} – {b.last_serial}
        </span>
      ),
    },
    { title: t('batches.validUntilColumn'), render: (_, b) => <DateText value={b.valid_until} /> },
    { title: t('common.created'), render: (_, b) => <DateText value={b.created_at} withTime /> },
    {
      title: t('batches.passwords'),
      render: (_, b) =>
        b.passwords_exported ? (
          <Tag>{t('batches.exported', { at: b.exported_at ? formatDateTime(b.exported_at) : '' })}</Tag>
        ) : can('card.batch.export') ? (
          <Button size="small" danger onClick={() => setExporting(b)} aria-label={`${t('batches.export')} ${b.batch_no}`}>
            {t('batches.export')}
          </Button>
        ) : (
          <Tag color="gold">{t('batches.notExported')}</Tag>
        ),
    },
  ];

  return (
    <ConsolePage title={t('menu.batches')} intro={t('batches.intro')}>
      {can('card.batch.create') && (
        <Card title={<h2 className="ax-card-title">{t('batches.create')}</h2>}>
          <Form form={form} layout="vertical" onFinish={submit} disabled={create.isPending} requiredMark>
            <div className="ax-console-form-grid">
              <Form.Item name="card_type_id" label={t('batches.type')} rules={[{ required: true, message: t('batches.type') }]}>
                <CardTypeSelect by="id" activeOnly />
              </Form.Item>
              <Form.Item
                name="quantity"
                label={t('batches.quantity')}
                extra={t('batches.quantityHint')}
                rules={[{ required: true, type: 'integer', min: 1, max: MAX_BATCH, message: t('batches.quantityHint') }]}
              >
                <InputNumber min={1} max={MAX_BATCH} precision={0} style={{ width: '100%' }} />
              </Form.Item>
              <Form.Item name="valid_until" label={t('batches.validUntil')} extra={t('batches.validUntilHint')}>
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </div>
            <Button type="primary" htmlType="submit" loading={create.isPending}>
              {t('batches.submit')}
            </Button>
          </Form>
          <div style={{ marginTop: 12 }}>
            {create.isPending && (
              <Alert
                type="info"
                showIcon
                role="status"
                message={pendingCount >= BIG_BATCH ? t('batches.bigBatch', { count: pendingCount }) : t('batches.smallBatch', { count: pendingCount })}
                description={<Elapsed />}
              />
            )}
            {create.isSuccess && (
              <Alert
                type="success"
                showIcon
                role="status"
                message={t('batches.created', {
                  no: create.data.batch_no,
                  count: create.data.quantity,
                  first: create.data.first_serial,
                  last: create.data.last_serial,
                })}
              />
            )}
            <Problem error={create.error} rest={serverErrors.rest} />
          </div>
        </Card>
      )}
      <Problem error={batches.error} />
      <Card>
        <div className="ax-table-wrap">
          <Table<CardBatch>
            rowKey="id"
            columns={columns}
            dataSource={batches.data ?? []}
            loading={batches.isLoading}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            size="middle"
            locale={{ emptyText: <span className="ax-empty">{t('common.empty')}</span> }}
          />
        </div>
      </Card>
      {exporting && <ExportDialog batch={exporting} onClose={() => setExporting(null)} />}
    </ConsolePage>
  );
}
