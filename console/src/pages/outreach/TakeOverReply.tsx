/**
 * The reply box for a conversation that is not yours yet but may be (the bot holds it, or it
 * waits in the queue): sending takes it over with that first message (POST …/take-over), so an
 * agent can answer anywhere. The channel's refusals (WhatsApp's 24-hour window…) are shown as
 * the server explains them, in the console's language.
 */
import { Alert, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { takeOverConversation } from './api';
import { refusalText, useOutreachT } from './texts';

export function useTakeOverSend(conversationId: string, extraKeys: unknown[][] = []) {
  const t = useOutreachT();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (text?: string) => takeOverConversation(conversationId, text),
    onSuccess: (res) =>
      notifications.show({ color: 'teal', message: res.message ? t('sent') : t('taken') }),
    onError: (err) => notifications.show({ color: 'red', message: refusalText(t, err) }),
    onSettled: () =>
      Promise.all(
        [['conversation', conversationId], ['conversations'], ...extraKeys].map((queryKey) =>
          queryClient.invalidateQueries({ queryKey }),
        ),
      ),
  });
}

export function TakeOverReply({
  conversationId,
  status,
  hint,
  refresh = [],
  children,
}: {
  conversationId: string;
  status: string;
  /** Replaces the default hint (the case page explains where the message goes). */
  hint?: string;
  /** Other queries the answer changes (the case page's transcript). */
  refresh?: unknown[][];
  /** The text form, given the send function (children keep this file free of the composer). */
  children(send: (text: string) => Promise<unknown>, sending: boolean): ReactNode;
}) {
  const t = useOutreachT();
  const send = useTakeOverSend(conversationId, refresh);
  return (
    <Stack gap={6} data-testid="take-over-reply">
      <Alert color="blue" variant="light" p="xs">
        {hint ?? (status === 'queued' ? t('takeOverQueuedHint') : t('takeOverHint'))}
      </Alert>
      {children((text) => send.mutateAsync(text), send.isPending)}
    </Stack>
  );
}
