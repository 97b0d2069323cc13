// The card reports as a chart and a table (the same figures), each downloadable as the server's
// CSV: stock by organisation, type or status; sales and activations per day over a date range;
// the ageing of the stock.
import { Alert, Button, Card, DatePicker, Radio, Space, Table, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { LazyChart } from '../../../../components/charts/LazyChart';
import { Money } from '../../../../components/Money';
import { Problem } from '../../../../components/Problem';
import { ConsolePage } from '../../../../components/layout/ConsolePage';
import { checkDateRange, daysOf, lastDays, MAX_REPORT_DAYS, thisMonth, type DateRange } from '../../../../lib/date-range';
import { saveFile } from '../../../../lib/download';
import { useCardReport, useReportCsv, type ReportRequest, type SalesGroup, type StockGroup } from '../../api/card-stock';
import { useCardStatusLabel } from '../../components/console/CardStatusTag';
import cardsConsoleZh from '../../i18n/console/zh-CN';

type Kind = ReportRequest['report'];
type Row = Record<string, unknown>;
type ColumnName = keyof typeof cardsConsoleZh.reports.columns;

const HIDDEN = new Set(['org_id', 'card_type_id', 'status']);

const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0));

// Sums `value` of the rows per `key`, keys in first-seen order.
function sumBy(rows: readonly Row[], key: (row: Row) => string, value: string): [string, number][] {
  const out = new Map<string, number>();
  for (const row of rows) out.set(key(row), (out.get(key(row)) ?? 0) + num(row[value]));
  return [...out];
}

function useChartOption(kind: Kind, rows: readonly Row[], range: DateRange | null, labelOf: (row: Row) => string) {
  const { t } = useTranslation('cardsConsole');
  return useMemo(() => {
    if (kind === 'sales' || kind === 'activations') {
      const days = range ? daysOf(range) : [];
      const series =
        kind === 'sales'
          ? [
              { name: t('reports.series.cards'), field: 'cards', scale: 1, axis: 0 },
              { name: t('reports.series.amount'), field: 'amount_fen', scale: 100, axis: 1 },
            ]
          : [{ name: t('reports.series.activations'), field: 'activations', scale: 1, axis: 0 }];
      return {
        tooltip: { trigger: 'axis' },
        legend: {},
        grid: { left: 48, right: 48, top: 40, bottom: 32 },
        xAxis: { type: 'category', data: days },
        yAxis: kind === 'sales' ? [{ type: 'value' }, { type: 'value' }] : [{ type: 'value' }],
        series: series.map((s) => {
          const byDay = new Map(sumBy(rows, (r) => String(r.day), s.field));
          return { name: s.name, type: 'line', yAxisIndex: s.axis, data: days.map((d) => (byDay.get(d) ?? 0) / s.scale) };
        }),
      };
    }
    const pairs = kind === 'ageing' ? sumBy(rows, (r) => String(r.age_bucket), 'count') : sumBy(rows, labelOf, 'count');
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, top: 16, bottom: 48 },
      xAxis: { type: 'category', data: pairs.map(([k]) => k), axisLabel: { interval: 0, rotate: pairs.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value' },
      series: [{ type: 'bar', name: t('reports.columns.count'), data: pairs.map(([, v]) => v) }],
    };
  }, [kind, rows, range, labelOf, t]);
}

function ReportPage({ kind }: { kind: Kind }) {
  const { t } = useTranslation('cardsConsole');
  const statusLabel = useCardStatusLabel();
  const [stockGroup, setStockGroup] = useState<StockGroup>('org');
  const [salesGroup, setSalesGroup] = useState<SalesGroup>('seller');
  const [dates, setDates] = useState<DateRange>(lastDays(30));
  const ranged = kind === 'sales' || kind === 'activations';
  const check = checkDateRange(dates.from, dates.to, MAX_REPORT_DAYS);
  const range = ranged && check.ok ? check.value : null;

  const request: ReportRequest | null =
    kind === 'stock'
      ? { report: 'stock', group_by: stockGroup }
      : kind === 'ageing'
        ? { report: 'ageing' }
        : range
          ? kind === 'sales'
            ? { report: 'sales', group_by: salesGroup, ...range }
            : { report: 'activations', ...range }
          : null;
  const report = useCardReport(request);
  const csv = useReportCsv();
  const rows = useMemo(() => (report.data?.rows ?? []) as Row[], [report.data]);
  const labelOf = useMemo(
    () => (row: Row) =>
      row.status && !row.org_name && !row.card_type_code ? statusLabel(String(row.status)) : String(row.org_name ?? row.card_type_code ?? row.status ?? ''),
    [statusLabel],
  );
  const option = useChartOption(kind, rows, range, labelOf);

  const title = t(`menu.report${kind.charAt(0).toUpperCase()}${kind.slice(1)}` as 'menu.reportStock');
  const columns: TableColumnsType<Row> = (report.data?.columns ?? [])
    .filter((c) => !HIDDEN.has(c))
    .map((c) => ({
      title: c in cardsConsoleZh.reports.columns ? t(`reports.columns.${c as ColumnName}`) : c,
      dataIndex: c,
      align: ['count', 'sales', 'cards', 'amount_fen', 'activations', 'min_days_to_expiry'].includes(c) ? ('right' as const) : undefined,
      render: (value: unknown, row: Row) =>
        c === 'amount_fen' ? <Money fen={num(value)} /> : c === 'status_label' ? statusLabel(String(row.status)) : String(value ?? ''),
    }));

  const rangeError = ranged && !check.ok ? t(`reports.rangeErrors.${check.code as 'required'}`, { days: MAX_REPORT_DAYS }) : null;
  const presets: { key: keyof typeof cardsConsoleZh.reports.presets; range: () => DateRange }[] = [
    { key: 'week', range: () => lastDays(7) },
    { key: 'month', range: () => lastDays(30) },
    { key: 'thisMonth', range: thisMonth },
    { key: 'quarter', range: () => lastDays(90) },
    { key: 'year', range: () => lastDays(365) },
  ];

  return (
    <ConsolePage
      title={title}
      intro={t(`reports.${kind}Intro` as 'reports.stockIntro')}
      extra={
        <Button
          disabled={!request}
          loading={csv.isPending}
          onClick={() => request && csv.mutate(request, { onSuccess: (file) => saveFile(file.blob, file.fileName) })}
        >
          {t('common.downloadCsv')}
        </Button>
      }
    >
      <Card>
        <Space wrap size="large">
          {kind === 'stock' && (
            <Radio.Group
              aria-label={t('reports.groupBy')}
              optionType="button"
              value={stockGroup}
              onChange={(e) => setStockGroup(e.target.value as StockGroup)}
              options={(['org', 'type', 'status'] as const).map((g) => ({ value: g, label: t(`reports.groups.${g}`) }))}
            />
          )}
          {kind === 'sales' && (
            <Radio.Group
              aria-label={t('reports.groupBy')}
              optionType="button"
              value={salesGroup}
              onChange={(e) => setSalesGroup(e.target.value as SalesGroup)}
              options={(['seller', 'org'] as const).map((g) => ({ value: g, label: t(`reports.groups.${g}`) }))}
            />
          )}
          {ranged && (
            <>
              <DatePicker.RangePicker
                aria-label={t('reports.range')}
                value={[dayjs(dates.from), dayjs(dates.to)]}
                allowClear={false}
                onChange={(values) => {
                  const [a, b] = (values ?? []) as [Dayjs | null, Dayjs | null];
                  setDates({ from: a?.format('YYYY-MM-DD') ?? '', to: b?.format('YYYY-MM-DD') ?? '' });
                }}
              />
              <Space wrap>
                {presets.map((p) => (
                  <Button key={p.key} size="small" onClick={() => setDates(p.range())}>
                    {t(`reports.presets.${p.key}`)}
                  </Button>
                ))}
              </Space>
            </>
          )}
        </Space>
        {rangeError && <Alert type="error" showIcon role="alert" message={rangeError} style={{ marginTop: 12 }} />}
      </Card>
      <Problem error={report.error ?? csv.error} />
      <Card title={<h2 className="ax-card-title">{t('reports.chart')}</h2>}>
        {report.isFetching && <p role="status">{t('reports.loading')}</p>}
        {rows.length === 0 && !report.isFetching ? <p>{t('reports.noData')}</p> : <LazyChart option={option} label={t('reports.chartLabel', { title })} />}
      </Card>
      <Card title={<h2 className="ax-card-title">{t('reports.table')}</h2>}>
        <div className="ax-table-wrap">
          <Table<Row>
            rowKey={(row) => JSON.stringify(row)}
            columns={columns}
            dataSource={rows}
            loading={report.isFetching}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            size="small"
            locale={{ emptyText: <span className="ax-empty">{t('reports.noData')}</span> }}
          />
        </div>
      </Card>
    </ConsolePage>
  );
}

export const StockReportPage = () => <ReportPage kind="stock" />;
export const SalesReportPage = () => <ReportPage kind="sales" />;
export const ActivationsReportPage = () => <ReportPage kind="activations" />;
export const AgeingReportPage = () => <ReportPage kind="ageing" />;
