/**
 * /console/conversations: every conversation, newest activity first, filtered from the URL;
 * refreshed by the live stream (or polling while it is down).
 */
import {
  Badge,
  Group,
  Paper,
  ScrollArea,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Tooltip,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { InboxShortcuts } from './shortcuts';
import type { ConversationSummary } from '../../api/types';
import { ChannelBadge, LanguageBadge, StatusBadge } from '../../components/badges';
import { FrustratedBadge } from '../../components/sentiment';
import { FilterPanel } from '../../components/filter-panel';
import { PageHeader } from '../../components/page-header';
import { Pager } from '../../components/pager';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { Truncated } from '../../components/truncated';
import { useUrlFilters } from '../../components/url-filters';
import { useI18n } from '../../i18n/i18n';
import { useLiveState, usePollInterval } from '../../shell/live';
import { listConversations, PAGE_SIZE } from './api';
import { CONVERSATION_FILTERS, ConversationFilters } from './ConversationFilters';
import { useCustomerLabel } from './customer-label';
import { AlertsToggle, useInboxCounts } from './inbox-watch';
import { useInboxT, waitDuration } from './texts';

/** The list's URL: the view (a tab) and the filters (the panel). */
const INBOX_PARAMS = ['view', ...CONVERSATION_FILTERS] as const;

/** A date input's day as the start or end of that local day, in ISO. */
export function dayBound(day: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const d = new Date(`${day}T${end ? '23:59:59.999' : '00:00:00'}`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function LiveIndicator() {
  const { t } = useI18n();
  const live = useLiveState() === 'live';
  return (
    <Tooltip label={live ? t('conversations.live') : t('conversations.polling')}>
      <Badge
        color={live ? 'green' : 'gray'}
        variant="dot"
        size="lg"
        tt="none"
        data-testid="live-indicator"
        data-live={live}
      >
        {live ? t('conversations.live') : t('conversations.polling')}
      </Badge>
    </Tooltip>
  );
}

/** The views as tabs, each with its count (mine only for roles that own conversations). */
function ViewTabs({ view, onView }: { view: string; onView(view: string): void }) {
  const ti = useInboxT();
  const counts = useInboxCounts().data;
  const tab = (value: string, label: string, count?: number | null) => ({
    value,
    label: (
      <span data-testid={`view-${value || 'all'}`}>
        {label}
        {typeof count === 'number' ? ` · ${count}` : ''}
      </span>
    ),
  });
  const data = [
    tab('', ti('view.all')),
    ...(counts && counts.mine !== null ? [tab('mine', ti('view.mine'), counts.mine)] : []),
    tab('unassigned', ti('view.unassigned'), counts?.unassigned),
    tab('open', ti('view.open'), counts?.open),
    tab('closed', ti('view.closed')),
  ];
  return (
    <ScrollArea type="auto" scrollbarSize={6} offsetScrollbars="x" mb="sm">
      <SegmentedControl
        aria-label={ti('views')}
        value={view}
        onChange={onView}
        data={data}
        size="sm"
        data-testid="inbox-views"
      />
    </ScrollArea>
  );
}

function WaitTime({ since }: { since: string }) {
  const ti = useInboxT();
  return (
    <Badge size="xs" color="orange" variant="light" tt="none" data-testid="wait-time">
      {ti('waiting', { time: waitDuration(ti, Date.now() - Date.parse(since)) })}
    </Badge>
  );
}

function ConversationRow({ c }: { c: ConversationSummary }) {
  const { t, formatDateTime } = useI18n();
  const ti = useInboxT();
  const name = useCustomerLabel()(c.contact.name, c.channel);
  return (
    <Table.Tr
      data-testid="conversation-row"
      data-conversation-id={c.id}
      data-unread={c.unread ? 'true' : undefined}
    >
      <Table.Td maw={0} w={{ base: '100%', sm: '45%' }}>
        <Stack gap={2} style={{ minWidth: 0 }}>
          {(c.unread || (c.status === 'queued' && c.escalation?.queuedAt)) && (
            <Group gap={4}>
              {c.unread && (
                <Badge size="xs" color="blue" variant="filled" tt="none" data-testid="unread">
                  {ti('unread')}
                </Badge>
              )}
              {c.status === 'queued' && c.escalation?.queuedAt && (
                <WaitTime since={c.escalation.queuedAt} />
              )}
            </Group>
          )}
          <Text
            component={Link}
            to={`/conversations/${c.id}`}
            fw={c.unread ? 800 : 600}
            size="sm"
            truncate="end"
            title={name}
            aria-label={t('conversations.open', { name })}
            c="blue.8"
          >
            {name}
          </Text>
          {c.sentiment.frustratedAt && (
            <Group gap={4}>
              <FrustratedBadge size="xs" />
            </Group>
          )}
          {c.lastMessageText && (
            <Truncated size="xs" c="dimmed">
              {c.lastMessageText}
            </Truncated>
          )}
          <Group gap={4} hiddenFrom="sm" wrap="wrap">
            <ChannelBadge channel={c.channel} />
            <StatusBadge status={c.status} />
            <Text size="xs" c="dimmed">
              {formatDateTime(c.lastMessageAt ?? c.createdAt)}
            </Text>
          </Group>
        </Stack>
      </Table.Td>
      <Table.Td visibleFrom="sm">
        <ChannelBadge channel={c.channel} />
      </Table.Td>
      <Table.Td visibleFrom="sm">
        <Stack gap={2}>
          <StatusBadge status={c.status} />
          {c.assignee && (
            <Truncated size="xs" c="dimmed" maw={160}>
              {c.assignee.name ?? c.assignee.id}
            </Truncated>
          )}
        </Stack>
      </Table.Td>
      <Table.Td visibleFrom="md">
        <LanguageBadge language={c.locale} />
      </Table.Td>
      <Table.Td visibleFrom="md" maw={160}>
        {c.lastIntent ? (
          <Truncated size="xs" ff="monospace">
            {c.lastIntent}
          </Truncated>
        ) : (
          t('state.none')
        )}
      </Table.Td>
      <Table.Td visibleFrom="sm">
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {formatDateTime(c.lastMessageAt ?? c.createdAt)}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

export default function ConversationsPage() {
  const { t } = useI18n();
  const filters = useUrlFilters(INBOX_PARAMS);
  const [formKey, setFormKey] = useState(0);
  const { values, offset } = filters;
  const refetchInterval = usePollInterval();
  const query = useQuery({
    queryKey: ['conversations', 'list', values, offset],
    queryFn: () =>
      listConversations({
        view: values.view,
        q: values.q,
        channel: values.channel,
        status: values.status,
        language: values.language,
        intent: values.intent,
        from: dayBound(values.from, false),
        to: dayBound(values.to, true),
        limit: PAGE_SIZE,
        offset,
      }),
    placeholderData: keepPreviousData,
    refetchInterval,
  });

  let content;
  if (query.isPending) content = <LoadingState rows={8} />;
  else if (query.isError)
    content = <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  else if (query.data.items.length === 0)
    content = filters.active ? (
      <EmptyState title={t('conversations.emptyFiltered')} />
    ) : (
      <EmptyState title={t('conversations.empty')} hint={t('conversations.emptyHint')} />
    );
  else
    content = (
      <>
        <Paper withBorder radius="md" className="table-scroll">
          <Table verticalSpacing="sm" highlightOnHover data-testid="conversation-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('conversations.customer')}</Table.Th>
                <Table.Th visibleFrom="sm">{t('conversations.channel')}</Table.Th>
                <Table.Th visibleFrom="sm">{t('conversations.status')}</Table.Th>
                <Table.Th visibleFrom="md">{t('filter.language')}</Table.Th>
                <Table.Th visibleFrom="md">{t('filter.intent')}</Table.Th>
                <Table.Th visibleFrom="sm">{t('conversations.updated')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {query.data.items.map((c) => (
                <ConversationRow key={c.id} c={c} />
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
      <InboxShortcuts />
      <PageHeader title={t('conversations.title')}>
        {query.data && (
          <Text size="sm" c="dimmed" data-testid="conversation-total">
            {query.data.total === 1
              ? t('conversations.totalOne')
              : t('conversations.total', { count: query.data.total })}
          </Text>
        )}
        <AlertsToggle />
        <LiveIndicator />
      </PageHeader>
      <ViewTabs view={values.view} onView={(view) => filters.set({ view })} />
      <FilterPanel activeCount={CONVERSATION_FILTERS.filter((k) => values[k]).length}>
        <ConversationFilters
          key={formKey}
          values={values}
          onChange={(patch) => filters.set(patch)}
          onClear={() => {
            filters.clear();
            setFormKey((k) => k + 1);
          }}
          active={filters.active}
        />
      </FilterPanel>
      {content}
    </>
  );
}
