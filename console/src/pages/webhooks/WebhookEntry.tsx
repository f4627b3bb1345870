/** One webhook in the list: its URL and events, active switch, last delivery and actions. */
import { Badge, Button, Group, Paper, Stack, Switch, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Truncated } from '../../components/truncated';
import { useI18n } from '../../i18n/i18n';
import { testWebhook, updateWebhook, type Webhook } from './api';
import { DeliveryStatusBadge } from './DeliveryLog';
import { eventLabel, useWebhookT } from './texts';

export const showFailure = (err: unknown) =>
  notifications.show({ color: 'red', message: err instanceof Error ? err.message : String(err) });

export interface EntryProps {
  w: Webhook;
  layout: 'row' | 'card';
  logOpen: boolean;
  onLog(w: Webhook): void;
  onEdit(w: Webhook): void;
  onDelete(w: Webhook): void;
  onRotate(w: Webhook): void;
}

function Summary({ w }: { w: Webhook }) {
  const t = useWebhookT();
  return (
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
}

function ActiveSwitch({ w }: { w: Webhook }) {
  const t = useWebhookT();
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: (active: boolean) => updateWebhook(w.id, { active }),
    onError: showFailure,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['webhooks'] }),
  });
  return (
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
}

function LastDelivery({ w, stacked }: { w: Webhook; stacked: boolean }) {
  const t = useWebhookT();
  const { formatDateTime } = useI18n();
  if (!w.lastDelivery) {
    return (
      <Text size="xs" c="dimmed">
        {t('never')}
      </Text>
    );
  }
  return (
    <Group gap={6} wrap={stacked ? 'wrap' : 'nowrap'} maw={stacked ? 140 : undefined}>
      <DeliveryStatusBadge status={w.lastDelivery.status} t={t} />
      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        {formatDateTime(w.lastDelivery.at)}
      </Text>
    </Group>
  );
}

function Actions({ w, layout, logOpen, onLog, onEdit, onDelete, onRotate }: EntryProps) {
  const t = useWebhookT();
  const queryClient = useQueryClient();
  const test = useMutation({
    mutationFn: () => testWebhook(w.id),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('testSent') });
      if (!logOpen) onLog(w);
    },
    onError: showFailure,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['webhooks'] }),
  });
  const plain = { size: 'compact-xs', variant: 'default' } as const;
  return (
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
        {...plain}
        loading={test.isPending}
        onClick={() => test.mutate()}
        data-testid="webhook-test"
      >
        {t('test')}
      </Button>
      <Button {...plain} onClick={() => onEdit(w)} data-testid="webhook-edit">
        {t('edit')}
      </Button>
      <Button {...plain} onClick={() => onRotate(w)} data-testid="webhook-rotate">
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
}

/** A table row (wide) or a card (phone). */
export function WebhookEntry(props: EntryProps) {
  const { w, layout } = props;
  if (layout === 'card') {
    return (
      <Paper withBorder p="sm" radius="md" data-testid="webhook-row">
        <Stack gap="xs">
          <Summary w={w} />
          <Group justify="space-between" wrap="wrap" gap="xs">
            <ActiveSwitch w={w} />
            <LastDelivery w={w} stacked={false} />
          </Group>
          <Actions {...props} />
        </Stack>
      </Paper>
    );
  }
  return (
    <Table.Tr data-testid="webhook-row">
      <Table.Td maw={0} w="40%">
        <Summary w={w} />
      </Table.Td>
      <Table.Td>
        <ActiveSwitch w={w} />
      </Table.Td>
      <Table.Td>
        <LastDelivery w={w} stacked />
      </Table.Td>
      <Table.Td>
        <Actions {...props} />
      </Table.Td>
    </Table.Tr>
  );
}
