/**
 * /console/webhooks (admin): list webhooks, create one (its secret shown once), edit URL,
 * events and active, rotate the secret, send a test ping, delete after a confirmation, and the
 * delivery log of one webhook (`?log=<id>`), failures highlighted and retryable.
 */
import { Badge, Button, Group, Modal, Paper, Stack, Switch, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { Truncated } from '../../components/truncated';
import { useNarrow } from '../../components/use-narrow';
import { useI18n } from '../../i18n/i18n';
import {
  createWebhook,
  deleteWebhook,
  listWebhooks,
  testWebhook,
  updateWebhook,
  type Webhook,
  type WebhookInput,
} from './api';
import { DeliveryLog, DeliveryStatusBadge } from './DeliveryLog';
import { SecretModal } from './SecretModal';
import { eventLabel, useWebhookT } from './texts';
import { WebhookForm } from './WebhookForm';

const failure = (err: unknown) =>
  notifications.show({ color: 'red', message: err instanceof Error ? err.message : String(err) });

interface EntryProps {
  w: Webhook;
  layout: 'row' | 'card';
  logOpen: boolean;
  onLog(w: Webhook): void;
  onEdit(w: Webhook): void;
  onDelete(w: Webhook): void;
  onRotate(w: Webhook): void;
}

/** One webhook's summary and controls: a table row (wide) or a card (phone). */
function WebhookEntry({ w, layout, logOpen, onLog, onEdit, onDelete, onRotate }: EntryProps) {
  const t = useWebhookT();
  const { formatDateTime } = useI18n();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['webhooks'] });
  const toggle = useMutation({
    mutationFn: (active: boolean) => updateWebhook(w.id, { active }),
    onError: failure,
    onSettled: refresh,
  });
  const test = useMutation({
    mutationFn: () => testWebhook(w.id),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('testSent') });
      if (!logOpen) onLog(w);
    },
    onError: failure,
    onSettled: refresh,
  });
  const who = (
    <Stack gap={2} style={{ minWidth: 0 }}>
      <Truncated size="sm" fw={600} ff="monospace">
        {w.url}
      </Truncated>
      {w.description && (
        <Truncated size="xs" c="dimmed">
          {w.description}
        </Truncated>
      )}
      <Group gap={4} wrap="wrap">
        {w.events.map((e) => (
          <Badge key={e} size="xs" variant="outline" color="gray" c="gray.8" tt="none">
            {eventLabel(t, e)}
          </Badge>
        ))}
      </Group>
    </Stack>
  );
  const active = (
    <Switch
      aria-label={`${t('active')}: ${w.url}`}
      label={w.active ? t('active') : t('inactive')}
      checked={w.active}
      disabled={toggle.isPending}
      onChange={(e) => toggle.mutate(e.currentTarget.checked)}
      styles={{ label: { whiteSpace: 'nowrap' } }}
      data-testid="webhook-active"
    />
  );
  const last = w.lastDelivery ? (
    <Group
      gap={6}
      wrap={layout === 'row' ? 'wrap' : 'nowrap'}
      maw={layout === 'row' ? 140 : undefined}
    >
      <DeliveryStatusBadge status={w.lastDelivery.status} t={t} />
      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        {formatDateTime(w.lastDelivery.at)}
      </Text>
    </Group>
  ) : (
    <Text size="xs" c="dimmed">
      {t('never')}
    </Text>
  );
  const buttons = (
    <Group gap={4} wrap="wrap" justify={layout === 'row' ? 'flex-end' : 'flex-start'}>
      <Button
        size="compact-xs"
        variant={logOpen ? 'filled' : 'default'}
        onClick={() => onLog(w)}
        aria-pressed={logOpen}
        data-testid="webhook-log"
      >
        {logOpen ? t('hideLog') : t('log')}
      </Button>
      <Button
        size="compact-xs"
        variant="default"
        loading={test.isPending}
        onClick={() => test.mutate()}
        data-testid="webhook-test"
      >
        {t('test')}
      </Button>
      <Button
        size="compact-xs"
        variant="default"
        onClick={() => onEdit(w)}
        data-testid="webhook-edit"
      >
        {t('edit')}
      </Button>
      <Button
        size="compact-xs"
        variant="default"
        onClick={() => onRotate(w)}
        data-testid="webhook-rotate"
      >
        {t('rotate')}
      </Button>
      <Button
        size="compact-xs"
        color="red"
        variant="light"
        onClick={() => onDelete(w)}
        data-testid="webhook-delete"
      >
        {t('delete')}
      </Button>
    </Group>
  );
  if (layout === 'card') {
    return (
      <Paper withBorder p="sm" radius="md" data-testid="webhook-row">
        <Stack gap="xs">
          {who}
          <Group justify="space-between" wrap="wrap" gap="xs">
            {active}
            {last}
          </Group>
          {buttons}
        </Stack>
      </Paper>
    );
  }
  return (
    <Table.Tr data-testid="webhook-row">
      <Table.Td maw={0} w="40%">
        {who}
      </Table.Td>
      <Table.Td>{active}</Table.Td>
      <Table.Td>{last}</Table.Td>
      <Table.Td>{buttons}</Table.Td>
    </Table.Tr>
  );
}

type Confirming = { kind: 'delete' | 'rotate'; webhook: Webhook } | null;

export default function WebhooksPage() {
  const t = useWebhookT();
  const narrow = useNarrow();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const [form, setForm] = useState<{ editing?: Webhook } | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const query = useQuery({
    queryKey: ['webhooks'],
    queryFn: listWebhooks,
    refetchInterval: 10_000,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['webhooks'] });
  const logId = params.get('log');
  const toggleLog = (w: Webhook) =>
    setParams(logId === w.id ? {} : { log: w.id }, { replace: true });
  const confirm = useMutation({
    mutationFn: async ({ kind, webhook }: NonNullable<Confirming>) => {
      if (kind === 'delete') return deleteWebhook(webhook.id);
      const updated = await updateWebhook(webhook.id, { rotateSecret: true });
      setSecret(updated.secret ?? null);
    },
    onSuccess: (_r, { kind, webhook }) => {
      setConfirming(null);
      if (kind === 'delete') {
        notifications.show({ color: 'teal', message: t('deleted') });
        if (logId === webhook.id) setParams({}, { replace: true });
      }
    },
    onError: failure,
    onSettled: refresh,
  });
  const save = async (body: WebhookInput) => {
    if (form?.editing) {
      await updateWebhook(form.editing.id, body);
      notifications.show({ color: 'teal', message: t('saved') });
    } else {
      const created = await createWebhook(body);
      setSecret(created.secret);
    }
    await refresh();
  };

  const newButton = (
    <Button onClick={() => setForm({})} data-testid="new-webhook">
      {t('new')}
    </Button>
  );
  const items = query.data?.items ?? [];
  const entry = (w: Webhook, layout: 'row' | 'card') => (
    <WebhookEntry
      key={w.id}
      w={w}
      layout={layout}
      logOpen={logId === w.id}
      onLog={toggleLog}
      onEdit={(editing) => setForm({ editing })}
      onDelete={(webhook) => setConfirming({ kind: 'delete', webhook })}
      onRotate={(webhook) => setConfirming({ kind: 'rotate', webhook })}
    />
  );
  let content;
  if (query.isPending) content = <LoadingState rows={4} />;
  else if (query.isError)
    content = <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  else if (items.length === 0)
    content = <EmptyState title={t('empty')} hint={t('emptyHint')} action={newButton} />;
  else if (narrow)
    content = (
      <Stack gap="xs" data-testid="webhook-table">
        {items.map((w) => entry(w, 'card'))}
      </Stack>
    );
  else
    content = (
      <Paper withBorder radius="md" className="table-scroll">
        <Table verticalSpacing="sm" data-testid="webhook-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('url')}</Table.Th>
              <Table.Th>{t('status')}</Table.Th>
              <Table.Th>{t('lastDelivery')}</Table.Th>
              <Table.Th>
                <span className="visually-hidden">{t('actions')}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>{items.map((w) => entry(w, 'row'))}</Table.Tbody>
        </Table>
      </Paper>
    );
  const logged = items.find((w) => w.id === logId);

  return (
    <>
      <PageHeader title={t('title')}>{items.length > 0 && newButton}</PageHeader>
      <Text size="sm" c="dimmed" mb="md">
        {t('intro')}
      </Text>
      {content}
      {logged && <DeliveryLog key={logged.id} webhook={logged} />}
      <WebhookForm
        opened={form !== null}
        editing={form?.editing}
        onClose={() => setForm(null)}
        onSubmit={save}
      />
      <SecretModal secret={secret} onClose={() => setSecret(null)} />
      <Modal
        opened={confirming !== null}
        onClose={() => setConfirming(null)}
        title={confirming?.kind === 'rotate' ? t('rotate') : t('deleteTitle')}
        centered
      >
        <Stack gap="sm">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {confirming?.kind === 'rotate'
              ? t('rotateConfirm')
              : t('deleteConfirm', { url: confirming?.webhook.url ?? '' })}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(null)}>
              {t('cancel')}
            </Button>
            <Button
              color="red"
              loading={confirm.isPending}
              onClick={() => confirming && confirm.mutate(confirming)}
              data-testid="webhook-confirm"
            >
              {confirming?.kind === 'rotate' ? t('rotate') : t('delete')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
