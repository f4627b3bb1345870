/** Shows a webhook's signing secret once (after creation or rotation), with a copy button. */
import { Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import { useWebhookT } from './texts';

export function SecretModal({ secret, onClose }: { secret: string | null; onClose(): void }) {
  const t = useWebhookT();
  return (
    <Modal
      opened={secret !== null}
      onClose={onClose}
      title={t('secretTitle')}
      centered
      closeOnClickOutside={false}
    >
      <Stack gap="sm">
        <Text size="sm">{t('secretIntro')}</Text>
        <Code
          block
          data-testid="webhook-secret"
          style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}
        >
          {secret ?? ''}
        </Code>
        <Group justify="flex-end">
          <CopyButton value={secret ?? ''}>
            {({ copied, copy }) => (
              <Button variant="light" color={copied ? 'teal' : undefined} onClick={copy}>
                {copied ? t('copied') : t('copy')}
              </Button>
            )}
          </CopyButton>
          <Button onClick={onClose} data-testid="webhook-secret-done">
            {t('done')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
