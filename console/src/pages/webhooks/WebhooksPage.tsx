/**
 * /console/webhooks (admin): list webhooks, create one (its secret shown once), edit URL,
 * events and active, rotate the secret, send a test ping, delete after a confirmation, and the
 * delivery log of one webhook (`?log=<id>`), failures highlighted and retryable.
 */
import { Button, Paper, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { useNarrow } from '../../components/use-narrow';
import {
  createWebhook,
  deleteWebhook,
  listWebhooks,
  updateWebhook,
  type Webhook,
  type WebhookInput,
} from './api';
import { ConfirmModal, type Confirming } from './ConfirmModal';
import { DeliveryLog } from './DeliveryLog';
import { SecretModal } from './SecretModal';
import { useWebhookT } from './texts';
import { showFailure, WebhookEntry, type EntryProps } from './WebhookEntry';
import { WebhookForm } from './WebhookForm';

type Handlers = Omit<EntryProps, 'w' | 'layout' | 'logOpen'> & { logId: string | null };

/** The webhooks as cards (phone) or a table. */
function WebhookList({ items, handlers }: { items: Webhook[]; handlers: Handlers }) {
  const t = useWebhookT();
  const narrow = useNarrow();
  const { logId, ...on } = handlers;
  const entry = (w: Webhook, layout: 'row' | 'card') => (
    <WebhookEntry key={w.id} w={w} layout={layout} logOpen={logId === w.id} {...on} />
  );
  if (narrow) {
    return (
      <Stack gap="xs" data-testid="webhook-table">
        {items.map((w) => entry(w, 'card'))}
      </Stack>
    );
  }
  return (
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
}

export default function WebhooksPage() {
  const t = useWebhookT();
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
  const confirm = useMutation({
    mutationFn: async ({ kind, webhook }: NonNullable<Confirming>) => {
      if (kind === 'delete') return deleteWebhook(webhook.id);
      setSecret((await updateWebhook(webhook.id, { rotateSecret: true })).secret ?? null);
    },
    onSuccess: (_r, { kind, webhook }) => {
      setConfirming(null);
      if (kind !== 'delete') return;
      notifications.show({ color: 'teal', message: t('deleted') });
      if (logId === webhook.id) setParams({}, { replace: true });
    },
    onError: showFailure,
    onSettled: refresh,
  });
  const save = async (body: WebhookInput) => {
    if (form?.editing) {
      await updateWebhook(form.editing.id, body);
      notifications.show({ color: 'teal', message: t('saved') });
    } else {
      setSecret((await createWebhook(body)).secret);
    }
    await refresh();
  };

  const newButton = (
    <Button onClick={() => setForm({})} data-testid="new-webhook">
      {t('new')}
    </Button>
  );
  const items = query.data?.items ?? [];
  const handlers: Handlers = {
    logId,
    onLog: (w) => setParams(logId === w.id ? {} : { log: w.id }, { replace: true }),
    onEdit: (editing) => setForm({ editing }),
    onDelete: (webhook) => setConfirming({ kind: 'delete', webhook }),
    onRotate: (webhook) => setConfirming({ kind: 'rotate', webhook }),
  };
  let content: ReactNode;
  if (query.isPending) content = <LoadingState rows={4} />;
  else if (query.isError)
    content = <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  else if (items.length === 0)
    content = <EmptyState title={t('empty')} hint={t('emptyHint')} action={newButton} />;
  else content = <WebhookList items={items} handlers={handlers} />;
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
      <ConfirmModal
        confirming={confirming}
        busy={confirm.isPending}
        onCancel={() => setConfirming(null)}
        onConfirm={(c) => confirm.mutate(c)}
      />
    </>
  );
}
