// 审计日志: the audit records the caller may read (its subtree), filtered by dates, actor (a staff
// member's login or any actor's id), action and object, paged by sequence number.
import { Card, DatePicker, Form, Input, Tag, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ActorName } from '../../../../components/ActorName';
import { DateText } from '../../../../components/DateText';
import { Problem } from '../../../../components/Problem';
import { useFieldErrorsOf } from '../../../../components/form/use-server-errors';
import { ConsolePage } from '../../../../components/layout/ConsolePage';
import { useCursorPaging } from '../../../../components/table/cursor-paging';
import { FilterActions, PagedTable } from '../../../../components/table/PagedTable';
import { useAuditEvents, type AuditEvent } from '../../api';
import { auditName, auditQuery, summaryText, type AuditFilters } from '../../audit-query';

type Values = Omit<AuditFilters, 'from' | 'to'> & { from?: Dayjs | null; to?: Dayjs | null };

// An organisation as the console names them elsewhere: "北京朝阳支公司 (BJ01)".
const orgText = (code: string | null | undefined, name: string) => (code ? `${name} (${code})` : name);
const FIELDS = ['from', 'to', 'actor_login', 'actor_id', 'action', 'object_type', 'object_id'];

// A table of names as i18next holds it ({} when the key has none), and some of its entries.
const tableOf = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
const pick = (table: Record<string, unknown>, keys: string[]) =>
  Object.fromEntries(keys.filter((k) => k in table).map((k) => [k, table[k]]));

export default function AuditLogPage() {
  const { t, i18n } = useTranslation('admin');
  const [form] = Form.useForm<Values>();
  const [filters, setFilters] = useState<AuditFilters>({});
  const paging = useCursorPaging();
  const events = useAuditEvents(auditQuery(filters, paging.after === undefined ? undefined : Number(paging.after)));
  const rest = useFieldErrorsOf(form, events.error, FIELDS);

  const search = (values: Values) => {
    setFilters({
      ...values,
      from: values.from?.format('YYYY-MM-DD'),
      to: values.to?.format('YYYY-MM-DD'),
    });
    paging.reset();
  };

  // The console's name of an action, object kind or result code, if it has one.
  const nameOf = (group: 'auditActions' | 'auditObjects' | 'auditResults', code: string) =>
    auditName(t(group, { returnObjects: true }), code);
  // An action with its name above its code when the console knows one (the code stays: it is what
  // the filter takes).
  const actionCell = (code: string) => {
    const name = nameOf('auditActions', code);
    return name ? (
      <>
        <span>{name}</span>
        <div className="ax-cell-note">
          <code>{code}</code>
        </div>
      </>
    ) : (
      <code>{code}</code>
    );
  };

  // Summary keys by name, and the codes their values hold as the pages that show them name them:
  // the card pages' statuses, kinds, sources, dispositions and channels, the identity pages' roles
  // and levels, and the few only the audit log names.
  const summaryKeys: unknown = t('auditSummaryKeys', { returnObjects: true });
  const own = t('auditSummaryValues', { returnObjects: true });
  const names = (ns: string, key: string) => tableOf(i18n.getResource(i18n.resolvedLanguage ?? i18n.language, ns, key));
  const cards = (key: string) => names('cardsConsole', key);
  const statuses = {
    ...cards('status'),
    ...cards('recovery.statuses'),
    ...cards('receipts.statuses'),
    ...cards('sales.statuses'),
    ...own.status,
  };
  const summaryValues = {
    ...own,
    status: statuses,
    from: statuses,
    to: statuses,
    kind: { ...cards('receipts.kinds'), ...cards('invoices.kinds'), ...pick(cards('card.actions'), ['issue', 'recall']), ...own.kind },
    channel: { ...cards('assist.channels'), ...own.channel },
    business_source: cards('sale.sources'),
    disposition: cards('recovery.dispositions'),
    roles: names('identity', 'roles'),
    level: names('identityConsole', 'orgs.levels'),
  };

  const columns: TableColumnsType<AuditEvent> = [
    { title: t('audit.seq'), dataIndex: 'seq', width: 80 },
    { title: t('audit.at'), render: (_, e) => <DateText value={e.at} withTime /> },
    { title: t('audit.action'), dataIndex: 'action', render: actionCell },
    {
      title: t('audit.actorColumn'),
      render: (_, e) => (
        <>
          <ActorName actor={e} />
          {e.actor_org_name && <div className="ax-cell-note">{orgText(e.actor_org_code, e.actor_org_name)}</div>}
        </>
      ),
    },
    {
      title: t('audit.object'),
      render: (_, e) => {
        const kind = nameOf('auditObjects', e.object_type);
        return (
          <>
            {kind ? <span>{kind}</span> : <code>{e.object_type}</code>}{' '}
            <span className="ax-serial">{e.object_id}</span>
            {e.org_name && <div className="ax-cell-note">{orgText(e.org_code, e.org_name)}</div>}
          </>
        );
      },
    },
    {
      title: t('audit.result'),
      dataIndex: 'result',
      render: (r: string) => (
        <Tag color={r === 'ok' || r === 'success' ? 'green' : 'red'}>
          {nameOf('auditResults', r) ?? r}
        </Tag>
      ),
    },
    {
      title: t('audit.summary'),
      render: (_, e) => (
        <span className="ax-audit-summary">{summaryText(e.summary, summaryKeys, summaryValues)}</span>
      ),
    },
  ];

  const nextSeq = events.data?.next_after_seq;
  return (
    <ConsolePage title={t('menu.audit')} intro={t('audit.intro')}>
      <Card>
        <Form form={form} layout="vertical" onFinish={search} onReset={() => search({})} aria-label={t('menu.audit')}>
          <div className="ax-console-form-grid">
            <Form.Item name="from" label={t('audit.from')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="to" label={t('audit.to')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="action" label={t('audit.action')}>
              <Input autoComplete="off" placeholder={t('audit.actionPlaceholder')} />
            </Form.Item>
            <Form.Item name="actor_login" label={t('audit.actorLogin')}>
              <Input autoComplete="off" placeholder={t('audit.actorLoginPlaceholder')} />
            </Form.Item>
            <Form.Item name="actor_id" label={t('audit.actor')}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item name="object_type" label={t('audit.objectType')}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item name="object_id" label={t('audit.objectId')}>
              <Input autoComplete="off" />
            </Form.Item>
          </div>
          <FilterActions />
        </Form>
      </Card>
      <Problem error={events.error} rest={rest} />
      <PagedTable<AuditEvent>
        rowKey="seq"
        columns={columns}
        rows={events.data?.items}
        loading={events.isFetching}
        size="small"
        paging={paging}
        nextAfter={nextSeq === null || nextSeq === undefined ? null : String(nextSeq)}
      />
    </ConsolePage>
  );
}
