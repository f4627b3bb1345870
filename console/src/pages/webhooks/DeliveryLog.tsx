/** A webhook's delivery log, newest first: failures highlighted (red), retry on failed ones. */
import { Badge, Button, Group, Paper, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Pager } from '../../components/pager';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { Truncated } from '../../components/truncated';
import { useNarrow } from '../../components/use-narrow';
import { useI18n } from '../../i18n/i18n';
import {
  listDeliveries,
  retryDelivery,
  type Delivery,
  type DeliveryStatus,
  type Webhook,
} from './api';
import { eventLabel, useWebhookT, type WebhookT } from './texts';

const LIMIT = 20;
const COLORS: Record<DeliveryStatus, string> = {
  pending: 'gray',
  retrying: 'yellow',
  delivered: 'green',
  failed: 'red',
};

export function DeliveryStatusBadge({ status, t }: { status: DeliveryStatus; t: WebhookT }) {
  return (
    <Badge
      color={COLORS[status]}
      c={`${COLORS[status]}.9`}
      variant="light"
      tt="none"
      style={{ flexShrink: 0 }}
    >
      {t(`status.${status}`)}
    </Badge>
  );
}

/** `HTTP 500`, `timeout`, … and when the next attempt is due. */
function Result({ d }: { d: Delivery }) {
  const t = useWebhookT();
  const { formatDateTime } = useI18n();
  const what = [
    d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : null,
    d.lastError && !d.lastError.startsWith('http_') ? d.lastError : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <Stack gap={0} style={{ minWidth: 0 }}>
      <Text
        size="sm"
        c={d.status === 'failed' ? 'red.9' : undefined}
        style={{ overflowWrap: 'anywhere' }}
      >
        {what || '—'}
      </Text>
      {d.status === 'retrying' && d.nextAttemptAt && (
        <Text size="xs" c="dimmed">
          {t('nextAttempt', { when: formatDateTime(d.nextAttemptAt) })}
        </Text>
      )}
    </Stack>
  );
}

function DeliveryEntry({ d, layout }: { d: Delivery; layout: 'row' | 'card' }) {
  const t = useWebhookT();
  const { formatDateTime } = useI18n();
  const queryClient = useQueryClient();
  const retry = useMutation({
    mutationFn: () => retryDelivery(d.id),
    onSuccess: () => notifications.show({ color: 'teal', message: t('retried') }),
    onError: (err) =>
      notifications.show({
        color: 'red',
        message: err instanceof Error ? err.message : String(err),
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['webhooks'] }),
  });
  const failed = d.status === 'failed';
  const retryButton = failed ? (
    <Button
      size="compact-xs"
      variant="light"
      color="red"
      loading={retry.isPending}
      onClick={() => retry.mutate()}
      data-testid="delivery-retry"
    >
      {t('retry')}
    </Button>
  ) : null;
  const event = (
    <Stack gap={0} style={{ minWidth: 0 }}>
      <Text size="sm" fw={500}>
        {eventLabel(t, d.event)}
      </Text>
      <Truncated size="xs" c="dimmed" ff="monospace">
        {d.id}
      </Truncated>
    </Stack>
  );
  const when = formatDateTime(d.lastAttemptAt ?? d.createdAt);
  const style = failed ? { background: 'var(--mantine-color-red-light)' } : undefined;
  if (layout === 'card') {
    return (
      <Paper
        withBorder
        p="sm"
        radius="md"
        style={style}
        data-testid="delivery-row"
        data-status={d.status}
      >
        <Stack gap={6}>
          <Group justify="space-between" wrap="nowrap" gap="xs">
            {event}
            <DeliveryStatusBadge status={d.status} t={t} />
          </Group>
          <Result d={d} />
          <Group justify="space-between" gap="xs">
            <Text size="xs" c="dimmed">
              {when} · {t('attempts')}: {d.attempts}
            </Text>
            {retryButton}
          </Group>
        </Stack>
      </Paper>
    );
  }
  return (
    <Table.Tr style={style} data-testid="delivery-row" data-status={d.status}>
      <Table.Td maw={0} w="30%">
        {event}
      </Table.Td>
      <Table.Td>
        <DeliveryStatusBadge status={d.status} t={t} />
      </Table.Td>
      <Table.Td maw={0} w="25%">
        <Result d={d} />
      </Table.Td>
      <Table.Td>{d.attempts}</Table.Td>
      <Table.Td>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {when}
        </Text>
      </Table.Td>
      <Table.Td>{retryButton}</Table.Td>
    </Table.Tr>
  );
}

export function DeliveryLog({ webhook }: { webhook: Webhook }) {
  const t = useWebhookT();
  const narrow = useNarrow();
  const [onlyFailed, setOnlyFailed] = useState(false);
  const [offset, setOffset] = useState(0);
  const query = useQuery({
    queryKey: ['webhooks', webhook.id, 'deliveries', onlyFailed, offset],
    queryFn: () =>
      listDeliveries(webhook.id, {
        status: onlyFailed ? 'failed' : undefined,
        limit: LIMIT,
        offset,
      }),
    refetchInterval: 5000,
  });
  let content;
  if (query.isPending) content = <LoadingState rows={4} />;
  else if (query.isError)
    content = <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  else if (query.data.items.length === 0)
    content = (
      <EmptyState
        title={onlyFailed ? t('noFailures') : t('noDeliveries')}
        hint={onlyFailed ? undefined : t('noDeliveriesHint')}
      />
    );
  else if (narrow)
    content = (
      <Stack gap="xs" data-testid="delivery-log">
        {query.data.items.map((d) => (
          <DeliveryEntry key={d.id} d={d} layout="card" />
        ))}
      </Stack>
    );
  else
    content = (
      <Paper withBorder radius="md" className="table-scroll">
        <Table verticalSpacing="xs" data-testid="delivery-log">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('event')}</Table.Th>
              <Table.Th>{t('status')}</Table.Th>
              <Table.Th>{t('result')}</Table.Th>
              <Table.Th>{t('attempts')}</Table.Th>
              <Table.Th>{t('when')}</Table.Th>
              <Table.Th>
                <span className="visually-hidden">{t('actions')}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {query.data.items.map((d) => (
              <DeliveryEntry key={d.id} d={d} layout="row" />
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    );
  return (
    <Stack gap="sm" mt="lg" component="section" aria-labelledby="delivery-log-title">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Title
          order={2}
          fz="h4"
          id="delivery-log-title"
          style={{ minWidth: 0, overflowWrap: 'anywhere' }}
        >
          {t('logTitle', { url: webhook.url })}
        </Title>
        <Switch
          label={t('onlyFailed')}
          checked={onlyFailed}
          onChange={(e) => {
            setOnlyFailed(e.currentTarget.checked);
            setOffset(0);
          }}
          data-testid="delivery-only-failed"
        />
      </Group>
      {content}
      {query.data && (
        <Pager offset={offset} limit={LIMIT} total={query.data.total} onOffset={setOffset} />
      )}
    </Stack>
  );
}
