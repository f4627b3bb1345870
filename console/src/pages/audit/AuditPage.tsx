/** /console/audit (admin): who changed what, newest first, filtered from the URL. */
import { Code, Group, Paper, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import type { AuditItem, Page } from '../../api/types';
import { FilterPanel } from '../../components/filter-panel';
import { PageHeader } from '../../components/page-header';
import { Pager } from '../../components/pager';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { Truncated } from '../../components/truncated';
import { useNarrow } from '../../components/use-narrow';
import { useUrlFilters } from '../../components/url-filters';
import { useI18n } from '../../i18n/i18n';

const FILTERS = ['actor', 'action', 'target', 'from', 'to'] as const;
const PAGE_SIZE = 50;

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

function Changes({ e }: { e: AuditItem }) {
  const { t } = useI18n();
  const keys = [...new Set([...Object.keys(e.before ?? {}), ...Object.keys(e.after ?? {})])];
  if (keys.length === 0 && !e.details) return <>{t('state.none')}</>;
  return (
    <Stack gap={2}>
      {keys.map((k) => (
        <Text key={k} size="xs" style={{ overflowWrap: 'anywhere' }}>
          <b>{k}</b>: {e.before && k in e.before ? show(e.before[k]) : '∅'} →{' '}
          {e.after && k in e.after ? show(e.after[k]) : '∅'}
        </Text>
      ))}
      {e.details && (
        <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {show(e.details)}
        </Text>
      )}
    </Stack>
  );
}

export default function AuditPage() {
  const { t, formatDateTime } = useI18n();
  const filters = useUrlFilters(FILTERS);
  const [formKey, setFormKey] = useState(0);
  const { values, offset } = filters;
  const query = useQuery({
    queryKey: ['audit', values, offset],
    queryFn: () =>
      api<Page<AuditItem>>('/api/audit', { query: { ...values, limit: PAGE_SIZE, offset } }),
    placeholderData: keepPreviousData,
  });
  const narrow = useNarrow();
  const text = (key: 'actor' | 'action' | 'target', label: string, placeholder: string) => (
    <TextInput
      label={label}
      placeholder={placeholder}
      defaultValue={values[key]}
      size="sm"
      onBlur={(e) => filters.set({ [key]: e.currentTarget.value.trim() })}
      onKeyDown={(e) => {
        if (e.key === 'Enter') filters.set({ [key]: e.currentTarget.value.trim() });
      }}
      data-testid={`audit-filter-${key}`}
    />
  );

  let content;
  if (query.isPending) content = <LoadingState rows={8} />;
  else if (query.isError)
    content = <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  else if (query.data.items.length === 0)
    content = filters.active ? (
      <EmptyState title={t('audit.emptyFiltered')} />
    ) : (
      <EmptyState title={t('audit.empty')} hint={t('audit.emptyHint')} />
    );
  else if (narrow)
    content = (
      <>
        <Stack gap="xs" data-testid="audit-table">
          {query.data.items.map((e) => (
            <Paper
              key={e.id}
              withBorder
              p="sm"
              radius="md"
              data-testid="audit-row"
              data-action={e.action}
            >
              <Stack gap={4}>
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <Truncated size="sm" fw={600}>
                    {e.actorName ?? e.actor}
                  </Truncated>
                  <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                    {formatDateTime(e.at)}
                  </Text>
                </Group>
                <Group gap="xs" wrap="nowrap">
                  <Code style={{ flexShrink: 0 }}>{e.action}</Code>
                  <Truncated
                    size="xs"
                    ff="monospace"
                    c="dimmed"
                  >{`${e.targetType}:${e.targetId}`}</Truncated>
                </Group>
                {(e.before || e.after || e.details) && <Changes e={e} />}
              </Stack>
            </Paper>
          ))}
        </Stack>
        <Pager
          offset={offset}
          limit={PAGE_SIZE}
          total={query.data.total}
          onOffset={(o) => filters.set({ offset: o })}
        />
      </>
    );
  else
    content = (
      <>
        <Paper withBorder radius="md" className="table-scroll">
          <Table verticalSpacing="xs" fz="sm" data-testid="audit-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('audit.when')}</Table.Th>
                <Table.Th>{t('audit.actor')}</Table.Th>
                <Table.Th>{t('audit.action')}</Table.Th>
                <Table.Th visibleFrom="sm">{t('audit.target')}</Table.Th>
                <Table.Th visibleFrom="md">{t('audit.changes')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {query.data.items.map((e) => (
                <Table.Tr key={e.id} data-testid="audit-row" data-action={e.action}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Text size="xs">{formatDateTime(e.at)}</Text>
                  </Table.Td>
                  <Table.Td maw={180}>
                    <Truncated size="sm">{e.actorName ?? e.actor}</Truncated>
                  </Table.Td>
                  <Table.Td>
                    <Code>{e.action}</Code>
                  </Table.Td>
                  <Table.Td visibleFrom="sm" maw={200}>
                    <Truncated
                      size="xs"
                      ff="monospace"
                    >{`${e.targetType}:${e.targetId}`}</Truncated>
                  </Table.Td>
                  <Table.Td visibleFrom="md" maw={360}>
                    <Changes e={e} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
        <Pager
          offset={offset}
          limit={PAGE_SIZE}
          total={query.data.total}
          onOffset={(o) => filters.set({ offset: o })}
        />
      </>
    );

  return (
    <>
      <PageHeader title={t('audit.title')}>
        {query.data && (
          <Text size="sm" c="dimmed">
            {query.data.total === 1
              ? t('audit.totalOne')
              : t('audit.total', { count: query.data.total })}
          </Text>
        )}
      </PageHeader>
      <FilterPanel activeCount={Object.values(values).filter(Boolean).length}>
        <form
          role="search"
          aria-label={t('filter.title')}
          onSubmit={(e) => e.preventDefault()}
          key={formKey}
        >
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm" mb="md">
            {text('actor', t('audit.actor'), 'user:… / admin-token')}
            {text('action', t('audit.action'), 'user.update')}
            {text('target', t('audit.target'), 'user:…')}
            <TextInput
              type="date"
              label={t('filter.from')}
              value={values.from}
              size="sm"
              onChange={(e) => filters.set({ from: e.currentTarget.value })}
            />
            <TextInput
              type="date"
              label={t('filter.to')}
              value={values.to}
              size="sm"
              onChange={(e) => filters.set({ to: e.currentTarget.value })}
            />
          </SimpleGrid>
        </form>
      </FilterPanel>
      {filters.active && (
        <Text
          component="button"
          type="button"
          size="xs"
          c="blue.8"
          mb="sm"
          style={{ background: 'none', border: 0, cursor: 'pointer', padding: 0 }}
          onClick={() => {
            filters.clear();
            setFormKey((k) => k + 1);
          }}
        >
          {t('filter.clear')}
        </Text>
      )}
      {content}
    </>
  );
}
