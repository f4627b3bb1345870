/**
 * "Email transcript to customer" on a conversation (agents, admins): mails the customer, at the
 * contact's known email, what they, the bot and staff said — never internal notes
 * (POST /api/conversations/:id/transcript-email). Says where it went, or why it could not go
 * (no email known, mail not set up, the relay refused).
 */
import { Button, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import type { ConversationDetail } from '../../api/types';
import { call, errorText } from '../../api/client';
import { ACCESS } from '../../../../src/kernel/roles';
import { roleAllows } from '../../auth/session';
import { useCurrentUser } from '../../shell/current-user';
import { useInboxT } from './texts';

export function TranscriptEmailButton({ c }: { c: ConversationDetail }) {
  const ti = useInboxT();
  const me = useCurrentUser();
  const send = useMutation({
    mutationFn: () =>
      call('POST /api/conversations/:id/transcript-email', { params: { id: c.id } }),
    onSuccess: (res) =>
      notifications.show({ color: 'teal', message: ti('transcriptSent', { email: res.sentTo }) }),
    onError: (err) =>
      notifications.show({
        color: 'red',
        message: ti('transcriptFailed', { message: errorText(err) }),
      }),
  });
  if (!roleAllows(me.role, ACCESS.conversations.write)) return null;
  const known = c.contact.emails.length > 0;
  return (
    <Stack gap={2} mt={4}>
      <Button
        size="compact-sm"
        variant="default"
        onClick={() => send.mutate()}
        loading={send.isPending}
        disabled={!known}
        data-testid="transcript-email"
        style={{ alignSelf: 'flex-start' }}
      >
        {ti('transcriptEmail')}
      </Button>
      {!known && (
        <Text size="xs" c="dimmed" data-testid="transcript-email-no-address">
          {ti('transcriptNoEmail')}
        </Text>
      )}
    </Stack>
  );
}
