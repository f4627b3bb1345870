/** The contact page's "Sequences" section: where the contact is in each, with a Stop (issue 21.6). */
import { Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../i18n/i18n';
import { useCurrentUser } from '../../shell/current-user';
import { ACCESS } from '../../../../src/kernel/roles';
import { contactSequences, stopEnrolment } from './api';
import { useSequenceT } from './texts';

export function ContactSequences({ contactId }: { contactId: string }) {
  const t = useSequenceT();
  const { formatDateTime } = useI18n();
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const mayStop =
    user.role === 'admin' || (ACCESS.sequenceRuns.write as readonly string[]).includes(user.role);
  const query = useQuery({
    queryKey: ['contact-sequences', contactId],
    queryFn: () => contactSequences(contactId),
  });
  const stop = useMutation({
    mutationFn: (e: { sequenceId: string; id: string }) => stopEnrolment(e.sequenceId, e.id),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('stopped') });
      void queryClient.invalidateQueries({ queryKey: ['contact-sequences', contactId] });
    },
  });
  const items = query.data?.items ?? [];
  return (
    <Paper withBorder p="md" radius="md" data-testid="contact-sequences">
      <Title order={3} size="h5" mb="xs">
        {t('section')}
      </Title>
      {query.isSuccess && items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('sectionEmpty')}
        </Text>
      )}
      <Stack gap={6}>
        {items.map((e) => (
          <Group key={e.id} justify="space-between" wrap="wrap" gap="xs">
            <Group gap={6} wrap="wrap">
              <Text size="sm" fw={600}>
                {e.sequenceName}
              </Text>
              <Badge variant="light" color={e.status === 'active' ? 'teal' : 'gray'}>
                {t(`status.${e.status}`)}
              </Badge>
              <Text size="sm" c="dimmed">
                {e.status === 'active' && e.nextAt
                  ? `${t('next')}: ${formatDateTime(e.nextAt)}`
                  : (e.reason ?? '')}
              </Text>
            </Group>
            {e.status === 'active' && mayStop && (
              <Button
                size="xs"
                variant="default"
                onClick={() => stop.mutate(e)}
                loading={stop.isPending}
              >
                {t('stop')}
              </Button>
            )}
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}
