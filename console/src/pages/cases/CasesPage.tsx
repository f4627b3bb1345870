/**
 * /console/cases: every case as a table (newest first, paged) or a board with one column per
 * status; filters (status, priority, SLA state, assignee, channel, type, number) in the URL.
 */
import {
  Group,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { ChannelBadge } from '../../components/badges';
import { FilterPanel } from '../../components/filter-panel';
import { PageHeader } from '../../components/page-header';
import { Pager } from '../../components/pager';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { Truncated } from '../../components/truncated';
import { useUrlFilters } from '../../components/url-filters';
import { useI18n } from '../../i18n/i18n';
import { usePollInterval } from '../../shell/live';
import { CASE_PAGE_SIZE, listCases } from './api';
import { CaseStatusBadge, PriorityBadge, SlaBadge, useSlaTime } from './CaseBadges';
import { CASE_FILTERS, CaseFilters, type CaseFilter } from './CaseFilters';
import { useCasesT } from './texts';
import { CASE_STATUSES, type CaseStatus, type CaseSummary } from './types';
import { useCustomerLabel } from '../conversations/customer-label';

const BOARD_COLUMN_SIZE = 50;

/** The API filters of the URL's (`view` is the page's own). */
function withoutView(values: Record<CaseFilter, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => k !== 'view'));
}

function CaseLink({ c }: { c: CaseSummary }) {
  const t = useCasesT();
  return (
    <Text
      component={Link}
      to={`/cases/${c.id}`}
      fw={600}
      size="sm"
      c="blue.8"
      ff="monospace"
      aria-label={t('open', { number: c.number })}
      style={{ whiteSpace: 'nowrap' }}
    >
      {c.number}
    </Text>
  );
}

function CaseRow({ c }: { c: CaseSummary }) {
  const t = useCasesT();
  const { formatDateTime } = useI18n();
  const customer = useCustomerLabel()(c.contact?.name, c.channel);
  const slaTime = useSlaTime(c);
  return (
    <Table.Tr data-testid="case-row" data-case-id={c.id} data-number={c.number}>
      <Table.Td>
        <CaseLink c={c} />
      </Table.Td>
      <Table.Td maw={0} w={{ base: '100%', sm: '40%' }}>
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Truncated size="sm">{c.subject || c.description || t('noSubject')}</Truncated>
          <Truncated size="xs" c="dimmed">
            {customer}
          </Truncated>
          <Group gap={4} hiddenFrom="sm" wrap="wrap">
            <CaseStatusBadge status={c.status} />
            <PriorityBadge priority={c.priority} />
            <SlaBadge c={c} />
          </Group>
        </Stack>
      </Table.Td>
      <Table.Td visibleFrom="sm">
        <CaseStatusBadge status={c.status} />
      </Table.Td>
      <Table.Td visibleFrom="sm">
        <PriorityBadge priority={c.priority} />
      </Table.Td>
      <Table.Td visibleFrom="sm">
        <Stack gap={2} align="flex-start">
          <SlaBadge c={c} withTime={false} />
          {slaTime && (
            <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              {slaTime}
            </Text>
          )}
        </Stack>
      </Table.Td>
      <Table.Td visibleFrom="md" maw={180}>
        <Truncated size="xs" c={c.assignee ? undefined : 'dimmed'}>
          {c.assignee?.name ?? c.assignee?.id ?? t('unassigned')}
        </Truncated>
      </Table.Td>
      <Table.Td visibleFrom="md">{c.channel ? <ChannelBadge channel={c.channel} /> : '—'}</Table.Td>
      <Table.Td visibleFrom="lg">
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {formatDateTime(c.createdAt)}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

function CaseTable({ items }: { items: CaseSummary[] }) {
  const t = useCasesT();
  return (
    <Paper withBorder radius="md" className="table-scroll">
      <Table verticalSpacing="sm" highlightOnHover data-testid="case-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('number')}</Table.Th>
            <Table.Th>{t('subject')}</Table.Th>
            <Table.Th visibleFrom="sm">{t('status')}</Table.Th>
            <Table.Th visibleFrom="sm">{t('priority')}</Table.Th>
            <Table.Th visibleFrom="sm">{t('sla')}</Table.Th>
            <Table.Th visibleFrom="md">{t('assignee')}</Table.Th>
            <Table.Th visibleFrom="md">{t('channel')}</Table.Th>
            <Table.Th visibleFrom="lg">{t('opened')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((c) => (
            <CaseRow key={c.id} c={c} />
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

function BoardCard({ c }: { c: CaseSummary }) {
  const t = useCasesT();
  const label = useCustomerLabel();
  return (
    <Paper withBorder radius="sm" p="xs" data-testid="case-card" data-case-id={c.id}>
      <Stack gap={4}>
        <Group justify="space-between" gap={4} wrap="nowrap">
          <CaseLink c={c} />
          <PriorityBadge priority={c.priority} />
        </Group>
        <Truncated size="sm">{c.subject || c.description || t('noSubject')}</Truncated>
        <Truncated size="xs" c="dimmed">
          {label(c.contact?.name, c.channel)}
        </Truncated>
        <Group gap={4} wrap="wrap">
          <SlaBadge c={c} />
        </Group>
      </Stack>
    </Paper>
  );
}

/** One status column of the board: its own query (the newest 50 of that status). */
function BoardColumn({
  status,
  values,
}: {
  status: CaseStatus;
  values: Record<CaseFilter, string>;
}) {
  const t = useCasesT();
  const refetchInterval = usePollInterval();
  const filters = withoutView(values);
  const query = useQuery({
    queryKey: ['cases', 'board', status, filters],
    queryFn: () => listCases({ ...filters, status, limit: BOARD_COLUMN_SIZE }),
    placeholderData: keepPreviousData,
    refetchInterval,
  });
  const headingId = `board-${status}`;
  return (
    <Paper
      withBorder
      radius="md"
      p="sm"
      bg="gray.0"
      component="section"
      aria-labelledby={headingId}
      data-testid="board-column"
      data-status={status}
    >
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5" id={headingId}>
          {t(`status.${status}`)}
        </Title>
        {query.data && (
          <Text size="xs" c="dimmed">
            {query.data.total}
          </Text>
        )}
      </Group>
      {query.isPending ? (
        <LoadingState rows={2} />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('emptyColumn')}
        </Text>
      ) : (
        <Stack gap="xs">
          {query.data.items.map((c) => (
            <BoardCard key={c.id} c={c} />
          ))}
        </Stack>
      )}
    </Paper>
  );
}

function CaseList({
  values,
  offset,
  active,
  onOffset,
}: {
  values: Record<CaseFilter, string>;
  offset: number;
  active: boolean;
  onOffset(offset: number): void;
}) {
  const t = useCasesT();
  const refetchInterval = usePollInterval();
  const filters = withoutView(values);
  const query = useQuery({
    queryKey: ['cases', 'list', filters, offset],
    queryFn: () => listCases({ ...filters, limit: CASE_PAGE_SIZE, offset }),
    placeholderData: keepPreviousData,
    refetchInterval,
  });
  if (query.isPending) return <LoadingState rows={8} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (query.data.items.length === 0)
    return active ? (
      <EmptyState title={t('emptyFiltered')} />
    ) : (
      <EmptyState title={t('empty')} hint={t('emptyHint')} />
    );
  return (
    <>
      <Text size="sm" c="dimmed" mb="xs" data-testid="case-total">
        {query.data.total === 1 ? t('totalOne') : t('total', { count: query.data.total })}
      </Text>
      <CaseTable items={query.data.items} />
      <Pager offset={offset} limit={CASE_PAGE_SIZE} total={query.data.total} onOffset={onOffset} />
    </>
  );
}

export default function CasesPage() {
  const t = useCasesT();
  const filters = useUrlFilters(CASE_FILTERS);
  const [formKey, setFormKey] = useState(0);
  const { values, offset } = filters;
  const board = values.view === 'board';
  const activeCount = CASE_FILTERS.filter((k) => k !== 'view' && values[k]).length;
  return (
    <>
      <PageHeader title={t('title')}>
        <SegmentedControl
          size="xs"
          aria-label={t('view')}
          value={board ? 'board' : 'table'}
          onChange={(v) => filters.set({ view: v === 'board' ? 'board' : '', status: '' })}
          data={[
            { value: 'table', label: t('table') },
            { value: 'board', label: t('board') },
          ]}
          data-testid="case-view"
        />
      </PageHeader>
      <FilterPanel activeCount={activeCount}>
        <CaseFilters
          key={formKey}
          values={values}
          board={board}
          onChange={(patch) => filters.set(patch)}
          onClear={() => {
            filters.set(
              Object.fromEntries(CASE_FILTERS.filter((k) => k !== 'view').map((k) => [k, ''])),
            );
            setFormKey((k) => k + 1);
          }}
          active={activeCount > 0}
        />
      </FilterPanel>
      {board ? (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm" data-testid="case-board">
          {CASE_STATUSES.map((s) => (
            <BoardColumn key={s} status={s} values={values} />
          ))}
        </SimpleGrid>
      ) : (
        <CaseList
          values={values}
          offset={offset}
          active={activeCount > 0}
          onOffset={(o) => filters.set({ offset: o })}
        />
      )}
    </>
  );
}
