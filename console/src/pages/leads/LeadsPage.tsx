/**
 * /console/leads — the marketers' pipeline: a board (a column per status, drag to move) or a
 * table (sortable, bulk status change), both under the same filters kept in the URL; "Export
 * CSV" downloads what the filters select. Viewers see it read-only.
 */
import { Alert, Button, CloseButton, Group, SegmentedControl, Text } from '@mantine/core';
import { useState } from 'react';
import { FilterPanel } from '../../components/filter-panel';
import { PageHeader } from '../../components/page-header';
import { Pager } from '../../components/pager';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { useUrlFilters } from '../../components/url-filters';
import { useCurrentUser } from '../../shell/current-user';
import { exportCsvUrl, PAGE_SIZE } from './api';
import { LeadBoard } from './LeadBoard';
import { LEAD_FILTERS, LeadFilters } from './LeadFilters';
import { LeadTable, type SortField, type SortState } from './LeadTable';
import { useLeadsT } from './texts';
import { useLeadLists, useOwners } from './use-lead-lists';
import { useBoardMove, useBulkStatus } from './use-lead-moves';

const URL_KEYS = [...LEAD_FILTERS, 'view', 'sort', 'order'] as const;
const SORTS: SortField[] = ['name', 'status', 'score', 'createdAt', 'updatedAt'];

function LeadsHeader({
  total,
  board,
  onView,
  exportHref,
}: {
  total: number | undefined;
  board: boolean;
  onView(table: boolean): void;
  /** Set for those who may export. */
  exportHref?: string;
}) {
  const t = useLeadsT();
  return (
    <PageHeader title={t('title')}>
      {total !== undefined && (
        <Text size="sm" c="dimmed" data-testid="lead-total">
          {total === 1 ? t('totalOne') : t('total', { count: total })}
        </Text>
      )}
      <SegmentedControl
        size="xs"
        aria-label={t('view')}
        value={board ? 'board' : 'table'}
        onChange={(v) => onView(v === 'table')}
        data={[
          { value: 'board', label: t('board') },
          { value: 'table', label: t('table') },
        ]}
        data-testid="view-switch"
      />
      {exportHref && (
        <Button
          component="a"
          href={exportHref}
          download
          size="xs"
          variant="default"
          title={t('exportHint')}
          data-testid="export-csv"
        >
          {t('exportCsv')}
        </Button>
      )}
    </PageHeader>
  );
}

function MoveError({ message, onDismiss }: { message: string | null; onDismiss(): void }) {
  const t = useLeadsT();
  if (!message) return null;
  return (
    <Alert color="red" mb="sm" role="alert" data-testid="move-error">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Text size="sm">{message}</Text>
        <CloseButton aria-label={t('dismiss')} onClick={onDismiss} />
      </Group>
    </Alert>
  );
}

export default function LeadsPage() {
  const t = useLeadsT();
  const user = useCurrentUser();
  const editable = user.role === 'admin' || user.role === 'marketer';
  const url = useUrlFilters(URL_KEYS);
  const { values, offset } = url;
  const [formKey, setFormKey] = useState(0);
  const board = values.view !== 'table';
  const sort: SortState = {
    sort: (SORTS as string[]).includes(values.sort) ? (values.sort as SortField) : 'createdAt',
    order: values.order === 'asc' ? 'asc' : 'desc',
  };
  const { owners, ownerName } = useOwners();
  const lists = useLeadLists(values, offset, board);
  const { boardQuery, tableQuery, total } = lists;
  const moves = useBoardMove(lists.boardKey);
  const bulk = useBulkStatus();
  const filterActive = LEAD_FILTERS.some((k) => values[k] !== '' && !(board && k === 'status'));
  const query = board ? boardQuery : tableQuery;

  let content;
  if (query.isPending) content = <LoadingState rows={8} />;
  else if (query.isError)
    content = <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  else if (total === 0)
    content = filterActive ? (
      <EmptyState title={t('emptyFiltered')} />
    ) : (
      <EmptyState title={t('empty')} hint={t('emptyHint')} />
    );
  else if (board && boardQuery.data)
    content = (
      <LeadBoard
        board={boardQuery.data}
        editable={editable}
        ownerName={ownerName}
        onMove={moves.move}
      />
    );
  else if (tableQuery.data)
    content = (
      <>
        <LeadTable
          key={JSON.stringify([lists.filters, lists.sortQuery, offset])}
          items={tableQuery.data.items}
          sort={sort}
          onSort={(s) => url.set({ sort: s.sort, order: s.order })}
          editable={editable}
          ownerName={ownerName}
          onBulkStatus={bulk.apply}
          bulkBusy={bulk.busy}
        />
        <Pager
          offset={offset}
          limit={PAGE_SIZE}
          total={tableQuery.data.total}
          onOffset={(o) => url.set({ offset: o })}
        />
      </>
    );

  return (
    <>
      <LeadsHeader
        total={total}
        board={board}
        onView={(table) => url.set({ view: table ? 'table' : null })}
        exportHref={editable ? exportCsvUrl(lists.exportQuery) : undefined}
      />
      {!editable && (
        <Text size="sm" c="dimmed" mb="sm" data-testid="read-only">
          {t('readOnly')}
        </Text>
      )}
      <MoveError message={moves.error} onDismiss={moves.dismiss} />
      <FilterPanel activeCount={LEAD_FILTERS.filter((k) => values[k] !== '').length}>
        <LeadFilters
          key={formKey}
          values={values}
          onChange={(patch) => url.set(patch)}
          onClear={() => {
            url.set(Object.fromEntries(LEAD_FILTERS.map((k) => [k, null])));
            setFormKey((k) => k + 1);
          }}
          active={filterActive}
          board={board}
          owners={owners}
          segments={lists.segments}
        />
      </FilterPanel>
      {content}
    </>
  );
}
