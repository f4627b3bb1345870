/**
 * What the pipeline page shows, read from the URL's filters: the board (five lists, one per
 * status) or one table page, the owners (for names and the owner filter) and saved segments.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { BOARD_LIMIT, listLeads, listOwners, listSegmentNames, PAGE_SIZE } from './api';
import type { Board } from './LeadBoard';
import { leadQuery, type LeadFilterValues } from './LeadFilters';
import { LEAD_STATUSES } from './types';

async function loadBoard(query: Record<string, string | undefined>): Promise<Board> {
  const pages = await Promise.all(
    LEAD_STATUSES.map((status) => listLeads({ ...query, status, limit: BOARD_LIMIT })),
  );
  return Object.fromEntries(LEAD_STATUSES.map((s, i) => [s, pages[i]!])) as Board;
}

export function useOwners() {
  const owners = useQuery({
    queryKey: ['leads', 'owners'],
    queryFn: listOwners,
    staleTime: 60_000,
  });
  const list = useMemo(() => owners.data?.items ?? [], [owners.data]);
  const names = useMemo(() => new Map(list.map((o) => [o.id, o.name])), [list]);
  const ownerName = (id: string | null) => (id ? (names.get(id) ?? id) : undefined);
  return { owners: list, ownerName };
}

export function useLeadLists(
  values: LeadFilterValues & { sort: string; order: string },
  offset: number,
  board: boolean,
) {
  const filters = useMemo(() => leadQuery(values, board), [values, board]);
  const sortQuery = { sort: values.sort || undefined, order: values.order || undefined };
  const segments = useQuery({ queryKey: ['segments', 'picker'], queryFn: listSegmentNames });
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
  const total = board
    ? boardQuery.data && LEAD_STATUSES.reduce((n, s) => n + boardQuery.data[s].total, 0)
    : tableQuery.data?.total;
  return {
    filters,
    sortQuery,
    boardKey,
    boardQuery,
    tableQuery,
    total,
    segments: segments.data?.items,
    /** The query and its sort, as the CSV export takes them. */
    exportQuery: { ...filters, ...sortQuery },
  };
}
