// A console list as the console pages show them: an antd table in a card (scrolling sideways on a
// narrow screen), and under it the pager of a list the server pages by cursor (useCursorPaging):
// the page number, previous and next. Also the search / reset buttons of the filter form above.
import { Button, Card, Space, Table, type TableColumnsType, type TableProps } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import type { CursorPaging } from './cursor-paging';

export function PagedTable<T extends object>({
  rowKey,
  columns,
  rows,
  loading,
  size = 'middle',
  paging,
  nextAfter,
  status,
  title,
  label,
  extra,
  children,
}: {
  rowKey: TableProps<T>['rowKey'];
  columns: TableColumnsType<T>;
  rows: readonly T[] | undefined;
  loading: boolean;
  size?: 'small' | 'middle';
  // The pager; none for a list shown whole.
  paging?: CursorPaging;
  // The cursor of the next page (the answer's next_after), null or undefined on the last page.
  nextAfter?: string | null | undefined;
  // Said after the page number ("20 cards").
  status?: ReactNode;
  title?: ReactNode;
  // What the list is, for screen readers (the box a wide table scrolls in is a named region that
  // takes the keyboard focus, so it can be scrolled without a mouse).
  label?: string;
  extra?: ReactNode;
  // More controls next to the pager (the page size).
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Card title={title} extra={extra}>
      <div className="ax-table-wrap" role="region" aria-label={label ?? t('table.region')} tabIndex={0}>
        <Table<T>
          rowKey={rowKey}
          columns={columns}
          dataSource={rows ? [...rows] : []}
          loading={loading}
          pagination={false}
          size={size}
          locale={{ emptyText: <span className="ax-empty">{t('table.empty')}</span> }}
        />
      </div>
      {paging && (
        <div className="ax-console-actions ax-pager">
          <span aria-live="polite">
            {t('table.page', { page: paging.page })}
            {status ? <> · {status}</> : null}
          </span>
          <Button onClick={paging.previous} disabled={!paging.hasPrevious}>
            {t('table.previous')}
          </Button>
          <Button onClick={() => paging.next(nextAfter)} disabled={!nextAfter}>
            {t('table.next')}
          </Button>
          {children}
        </div>
      )}
    </Card>
  );
}

// The buttons of a filter form: search (submit) and reset.
export function FilterActions() {
  const { t } = useTranslation();
  return (
    <Space>
      <Button type="primary" htmlType="submit">
        {t('table.search')}
      </Button>
      <Button htmlType="reset">{t('table.reset')}</Button>
    </Space>
  );
}
