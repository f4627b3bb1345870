/**
 * /console/leads — the marketers' pipeline: a board (a column per status, drag to move) or a
 * table (sortable, bulk status change), both under the same filters kept in the URL; "Export
 * CSV" downloads what the filters select. Viewers see it read-only.
 */
import { Alert, Button, CloseButton, Group, SegmentedControl, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { FilterPanel } from '../../components/filter-panel';
import { PageHeader } from '../../components/page-header';
import { Pager } from '../../components/pager';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { useUrlFilters } from '../../components/url-filters';
import { useCurrentUser } from '../../shell/current-user';
import { BOARD_LIMIT, exportCsvUrl, listLeads, listOwners, PAGE_SIZE } from './api';
import { LeadBoard, type Board } from './LeadBoard';
import { LEAD_FILTERS, LeadFilters, leadQuery } from './LeadFilters';
import { LeadTable, type SortField, type SortState } from './LeadTable';
import { useLeadsT } from './texts';
import { LEAD_STATUSES } from './types';
import { useBoardMove, useBulkStatus } from './use-lead-moves';

const URL_KEYS = [...LEAD_FILTERS, 'view', 'sort', 'order'] as const;
const SORTS: SortField[] = ['name', 'status', 'score', 'createdAt', 'updatedAt'];

async function loadBoard(query: Record<string, string | undefined>): Promise<Board> {
  const pages = await Promise.all(
    LEAD_STATUSES.map((status) => listLeads({ ...query, status, limit: BOARD_LIMIT })),
  );
  return Object.fromEntries(LEAD_STATUSES.map((s, i) => [s, pages[i]!])) as Board;
}

/** Saved segments, when the server has them (GET /api/segments); none otherwise. */
const listSegments = () =>
  api<Page<{ id: string; name: string }>>('/api/segments', { query: { limit: 200 } }).catch(
    () => null,
  );

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
  const filters = useMemo(() => leadQuery(values, board), [values, board]);
  const sortQuery = { sort: values.sort || undefined, order: values.order || undefined };
  const owners = useQuery({
    queryKey: ['leads', 'owners'],
    queryFn: listOwners,
    staleTime: 60_000,
  });
  const segments = useQuery({ queryKey: ['segments', 'picker'], queryFn: listSegments });
  const ownerNames = useMemo(
    () => new Map((owners.data?.items ?? []).map((o) => [o.id, o.name])),
    [owners.data],
  );
  const ownerName = (id: string | null) => (id ? (ownerNames.get(id) ?? id) : undefined);

  const boardKey = ['leads', 'board', filters, sortQuery] as const;
  const boardQuery = useQuery({
    queryKey: boardKey,
    queryFn: () => loadBoard({ ...(filters as Record<string, string>), ...sortQuery }),
    enabled: board,
    placeholderData: keepPreviousData,
  });
  const tableQuery = useQuery({
    queryKey: ['leads', 'table', filters, sortQuery, offset],
    queryFn: () => listLeads({ ...filters, ...sortQuery, limit: PAGE_SIZE, offset }),
    enabled: !board,
    placeholderData: keepPreviousData,
  });
  const moves = useBoardMove(boardKey);
  const bulk = useBulkStatus();

  const filterActive = LEAD_FILTERS.some((k) => values[k] !== '' && !(board && k === 'status'));
  const query = board ? boardQuery : tableQuery;
  const total = board
    ? boardQuery.data && LEAD_STATUSES.reduce((n, s) => n + boardQuery.data[s].total, 0)
    : tableQuery.data?.total;

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
          key={JSON.stringify([filters, sortQuery, offset])}
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
          onChange={(v) => url.set({ view: v === 'table' ? 'table' : null })}
          data={[
            { value: 'board', label: t('board') },
            { value: 'table', label: t('table') },
          ]}
          data-testid="view-switch"
        />
        {editable && (
          <Button
            component="a"
            href={exportCsvUrl({ ...filters, ...sortQuery })}
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
      {!editable && (
        <Text size="sm" c="dimmed" mb="sm" data-testid="read-only">
          {t('readOnly')}
        </Text>
      )}
      {moves.error && (
        <Alert color="red" mb="sm" role="alert" data-testid="move-error">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <Text size="sm">{moves.error}</Text>
            <CloseButton aria-label={t('dismiss')} onClick={moves.dismiss} />
          </Group>
        </Alert>
      )}
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
          owners={owners.data?.items ?? []}
          segments={segments.data?.items}
        />
      </FilterPanel>
      {content}
    </>
  );
}
