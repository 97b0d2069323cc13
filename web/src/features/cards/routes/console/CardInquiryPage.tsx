// 状态明细查询: the cards of the caller's subtree by serial range, card type, holder and status,
// page by page (cursor paging), and the whole result as a CSV built in the browser with progress.
import { Alert, Button, Card, Form, Input, Progress, Select, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { DateText } from '../../../../components/DateText';
import { Problem } from '../../../../components/Problem';
import { useFieldErrorsOf } from '../../../../components/form/use-server-errors';
import { ConsolePage } from '../../../../components/layout/ConsolePage';
import { useCursorPaging } from '../../../../components/table/cursor-paging';
import { FilterActions, PagedTable } from '../../../../components/table/PagedTable';
import { toCsv } from '../../../../lib/csv';
import { saveFile } from '../../../../lib/download';
import { formatDate, formatDateTime } from '../../../../lib/format';
import { fetchAllCards, useCards, type CardInquiry, type CardRow } from '../../api/card-stock';
import { CardStatusTag, useCardStatusLabel } from '../../components/console/CardStatusTag';
import { CardTypeSelect } from '../../components/console/CardTypeSelect';
import cardsConsoleZh from '../../i18n/console/zh-CN';

const STATUSES = Object.keys(cardsConsoleZh.status) as (keyof typeof cardsConsoleZh.status)[];
const PAGE_SIZES = [20, 50, 100];

type Filters = Omit<CardInquiry, 'after' | 'limit'>;

const FIELDS = ['serial_from', 'serial_to', 'card_type', 'status', 'holder'];

function clean(values: Filters): Filters {
  // The status comes from a select of the API's own names; the server checks every field anyway.
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values) as [keyof Filters, string | undefined][]) {
    const text = value?.trim();
    if (text) out[key] = key.startsWith('serial') ? text.toUpperCase() : text;
  }
  return out as Filters;
}

function useExport(filters: Filters) {
  const { t } = useTranslation('cardsConsole');
  const statusLabel = useCardStatusLabel();
  const [state, setState] = useState<{ running: boolean; count: number; done: number | null; error: unknown }>({
    running: false,
    count: 0,
    done: null,
    error: null,
  });
  const run = async () => {
    setState({ running: true, count: 0, done: null, error: null });
    try {
      const rows = await fetchAllCards(filters, (count) => setState((s) => ({ ...s, count })));
      const h = (key: keyof typeof cardsConsoleZh.inquiry.csvHeader) => t(`inquiry.csvHeader.${key}`);
      const csv = toCsv(
        [h('serial'), h('type'), h('status'), h('holder'), h('holderType'), h('salesId'), h('policyId'), h('validUntil'), h('updatedAt')],
        rows,
        (card) => [
          card.serial,
          card.card_type.code,
          statusLabel(card.status.name),
          card.holder.name,
          card.holder.type === 'person' ? t('movement.recipientPerson') : t('movement.recipientOrg'),
          card.sales_id,
          card.policy_id,
          formatDate(card.valid_until),
          card.updated_at ? formatDateTime(card.updated_at) : '',
        ],
      );
      saveFile(new Blob([csv], { type: 'text/csv;charset=utf-8' }), `cards-${formatDate(new Date())}.csv`);
      setState({ running: false, count: rows.length, done: rows.length, error: null });
    } catch (error) {
      setState((s) => ({ ...s, running: false, error }));
    }
  };
  return { ...state, run };
}

export default function CardInquiryPage() {
  const { t } = useTranslation('cardsConsole');
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [pageSize, setPageSize] = useState(PAGE_SIZES[0] ?? 20);
  const paging = useCursorPaging();
  const cards = useCards({ ...filters, after: paging.after, limit: pageSize });
  const exporter = useExport(filters);
  // A refused inquiry (a malformed serial, an unknown status) is shown at its field.
  const rest = useFieldErrorsOf(form, cards.error, FIELDS);

  const search = (values: Filters) => {
    form.setFields(FIELDS.map((name) => ({ name: name as keyof Filters, errors: [] })));
    setFilters(clean(values));
    paging.reset();
  };

  const columns: TableColumnsType<CardRow> = [
    {
      title: t('common.serial'),
      dataIndex: 'serial',
      render: (serial: string) => (
        <Link className="ax-serial" to={`/cards/card?serial=${encodeURIComponent(serial)}`}>
          {serial}
        </Link>
      ),
    },
    { title: t('inquiry.type'), render: (_, card) => `${card.card_type.code} · ${card.card_type.name}` },
    { title: t('inquiry.status'), render: (_, card) => <CardStatusTag status={card.status} /> },
    {
      title: t('inquiry.holder'),
      render: (_, card) => (card.holder.type === 'person' ? `${card.holder.name}（${t('inquiry.holderPerson')}）` : card.holder.name),
    },
    { title: t('inquiry.validUntil'), render: (_, card) => <DateText value={card.valid_until} /> },
    { title: t('inquiry.updatedAt'), render: (_, card) => <DateText value={card.updated_at} withTime /> },
  ];

  return (
    <ConsolePage
      title={t('menu.inquiry')}
      intro={t('inquiry.intro')}
      extra={
        <Button onClick={() => void exporter.run()} loading={exporter.running}>
          {t('common.exportCsv')}
        </Button>
      }
    >
      <Card>
        <Form
          form={form}
          layout="vertical"
          onFinish={search}
          onReset={() => search({})}
          onFinishFailed={() => undefined}
          aria-label={t('menu.inquiry')}
        >
          <div className="ax-console-form-grid">
            <Form.Item name="serial_from" label={t('serialRange.first')}>
              <Input autoComplete="off" placeholder={t('serialRange.firstPlaceholder')} />
            </Form.Item>
            <Form.Item name="serial_to" label={t('serialRange.last')}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item name="card_type" label={t('inquiry.type')}>
              <CardTypeSelect allowClear placeholder={t('common.all')} />
            </Form.Item>
            <Form.Item name="status" label={t('inquiry.status')}>
              <Select
                allowClear
                placeholder={t('common.all')}
                options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
              />
            </Form.Item>
            <Form.Item name="holder" label={t('inquiry.holder')}>
              <Input autoComplete="off" placeholder={t('inquiry.holderPlaceholder')} />
            </Form.Item>
          </div>
          <FilterActions />
        </Form>
      </Card>
      {exporter.running && (
        <Alert
          type="info"
          showIcon
          role="status"
          message={t('inquiry.exporting', { count: exporter.count })}
          description={<Progress percent={99} status="active" showInfo={false} aria-hidden />}
        />
      )}
      {exporter.done !== null && <Alert type="success" showIcon role="status" message={t('inquiry.exportDone', { count: exporter.done })} />}
      <Problem error={exporter.error} />
      <Problem error={cards.error} rest={rest} />
      <PagedTable<CardRow>
        rowKey="serial"
        columns={columns}
        rows={cards.data?.items}
        loading={cards.isFetching}
        paging={paging}
        nextAfter={cards.data?.next_after}
        status={t('inquiry.total', { count: cards.data?.items.length ?? 0 })}
      >
        <Select
          aria-label={t('common.pageSize')}
          value={pageSize}
          onChange={(size) => {
            setPageSize(size);
            paging.reset();
          }}
          options={PAGE_SIZES.map((n) => ({ value: n, label: String(n) }))}
          style={{ width: 90 }}
        />
      </PagedTable>
    </ConsolePage>
  );
}
