/** Confirms deleting a webhook or replacing its secret. */
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { Webhook } from './api';
import { useWebhookT } from './texts';

export type Confirming = { kind: 'delete' | 'rotate'; webhook: Webhook } | null;

export function ConfirmModal({
  confirming,
  busy,
  onCancel,
  onConfirm,
}: {
  confirming: Confirming;
  busy: boolean;
  onCancel(): void;
  onConfirm(c: NonNullable<Confirming>): void;
}) {
  const t = useWebhookT();
  const rotate = confirming?.kind === 'rotate';
  return (
    <Modal
      opened={confirming !== null}
      onClose={onCancel}
      title={rotate ? t('rotate') : t('deleteTitle')}
      centered
    >
      <Stack gap="sm">
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {rotate ? t('rotateConfirm') : t('deleteConfirm', { url: confirming?.webhook.url ?? '' })}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('cancel')}
          </Button>
          <Button
            color="red"
            loading={busy}
            onClick={() => confirming && onConfirm(confirming)}
            data-testid="webhook-confirm"
          >
            {rotate ? t('rotate') : t('delete')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
