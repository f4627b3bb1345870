/**
 * Claim, reply and close from the console, through the same Escalator as Slack (the server
 * decides: 409s are shown as they come). Only agents (and admins) see the controls.
 */
import { Alert, Button, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { isApiError } from '../../api/client';
import type { ConversationDetail } from '../../api/types';
import { roleAllows } from '../../auth/session';
import { useI18n } from '../../i18n/i18n';
import { useCurrentUser } from '../../shell/current-user';
import { claimConversation, closeConversation, replyToConversation } from './api';

export function AgentActions({ c }: { c: ConversationDetail }) {
  const { t } = useI18n();
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [confirmClose, setConfirmClose] = useState(false);
  const mine = c.assignee?.id === `user:${user.id}`;
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['conversation', c.id] }),
      queryClient.invalidateQueries({ queryKey: ['conversations'] }),
    ]);
  const fail = (err: unknown) =>
    notifications.show({
      color: 'red',
      message: t('conversation.actionFailed', {
        message: err instanceof Error ? err.message : String(err),
      }),
    });

  const claim = useMutation({
    mutationFn: () => claimConversation(c.id),
    onSuccess: () => notifications.show({ color: 'teal', message: t('conversation.claimed') }),
    onError: (err) =>
      isApiError(err, 409) && c.assignee
        ? notifications.show({
            color: 'orange',
            message: t('conversation.alreadyAssigned', { name: c.assignee.name ?? c.assignee.id }),
          })
        : fail(err),
    onSettled: refresh,
  });
  const close = useMutation({
    mutationFn: () => closeConversation(c.id),
    onSuccess: () => {
      setConfirmClose(false);
      notifications.show({ color: 'teal', message: t('conversation.closed') });
    },
    onError: fail,
    onSettled: refresh,
  });
  const reply = useMutation({
    mutationFn: (body: string) => replyToConversation(c.id, body),
    onSuccess: () => {
      setText('');
      notifications.show({ color: 'teal', message: t('conversation.sent') });
    },
    onError: fail,
    onSettled: refresh,
  });

  if (!roleAllows(user.role, ['agent'])) {
    return (
      <Text size="sm" c="dimmed" data-testid="read-only">
        {t('conversation.readOnly')}
      </Text>
    );
  }
  const escalated = c.status === 'queued' || c.status === 'assigned';
  return (
    <Paper withBorder p="sm" radius="md" data-testid="agent-actions">
      <Stack gap="sm">
        <Group gap="xs" wrap="wrap">
          {c.status === 'queued' && (
            <Button onClick={() => claim.mutate()} loading={claim.isPending} data-testid="claim">
              {t('conversation.claim')}
            </Button>
          )}
          {escalated &&
            (confirmClose ? (
              <Group gap="xs">
                <Text size="sm">{t('conversation.closeConfirm')}</Text>
                <Button
                  color="red"
                  size="xs"
                  onClick={() => close.mutate()}
                  loading={close.isPending}
                  data-testid="close-confirm"
                >
                  {t('confirm.yes')}
                </Button>
                <Button size="xs" variant="default" onClick={() => setConfirmClose(false)}>
                  {t('confirm.no')}
                </Button>
              </Group>
            ) : (
              <Button variant="default" onClick={() => setConfirmClose(true)} data-testid="close">
                {t('conversation.close')}
              </Button>
            ))}
          {c.status === 'assigned' && c.assignee && !mine && (
            <Text size="sm" c="dimmed">
              {t('conversation.assignedTo', { name: c.assignee.name ?? c.assignee.id })}
            </Text>
          )}
        </Group>
        {mine ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (text.trim()) reply.mutate(text.trim());
            }}
          >
            <Stack gap="xs">
              <Textarea
                label={t('conversation.replyLabel')}
                placeholder={t('conversation.replyPlaceholder')}
                autosize
                minRows={2}
                maxRows={8}
                maxLength={4000}
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && text.trim()) {
                    e.preventDefault();
                    reply.mutate(text.trim());
                  }
                }}
                data-testid="reply-text"
              />
              <Group justify="flex-end">
                <Button
                  type="submit"
                  loading={reply.isPending}
                  disabled={!text.trim()}
                  data-testid="reply-send"
                >
                  {t('conversation.send')}
                </Button>
              </Group>
            </Stack>
          </form>
        ) : (
          c.status === 'queued' && (
            <Alert color="blue" variant="light" p="xs">
              {t('conversation.claimFirst')}
            </Alert>
          )
        )}
      </Stack>
    </Paper>
  );
}
