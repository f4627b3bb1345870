/**
 * Claim, reply, close and staff notes from the console, through the same Escalator as Slack (the
 * server decides: 409s are shown as they come). Only agents (and admins) see the controls; any
 * agent may leave a note, only the assignee replies.
 */
import { Alert, Button, Group, Stack, Tabs, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { isApiError } from '../../api/client';
import type { ConversationDetail } from '../../api/types';
import { roleAllows } from '../../auth/session';
import { useI18n } from '../../i18n/i18n';
import { useCurrentUser } from '../../shell/current-user';
import {
  addConversationNote,
  claimConversation,
  closeConversation,
  replyToConversation,
} from './api';
import type { MessageKey } from '../../i18n/en';
import { useInboxT } from './texts';
import { CannedTextarea, type CannedTarget } from '../canned-replies/CannedTextarea';
import { TakeOverReply, useTakeOverSend } from '../outreach/TakeOverReply';
import { useOutreachT } from '../outreach/texts';
import { AssignControl } from '../assignment/AssignControl';

interface TextFormTexts {
  label: MessageKey;
  placeholder: MessageKey;
  submit: MessageKey;
  testId: string;
}

export const REPLY_TEXTS: TextFormTexts = {
  label: 'conversation.replyLabel',
  placeholder: 'conversation.replyPlaceholder',
  submit: 'conversation.send',
  testId: 'reply',
};

const NOTE_TEXTS: TextFormTexts = {
  label: 'conversation.noteLabel',
  placeholder: 'conversation.notePlaceholder',
  submit: 'conversation.addNote',
  testId: 'note',
};

/** A text box (reply or note): submit (or Ctrl/⌘+Enter) hands the trimmed text to `onSend`. */
export function TextForm({
  onSend,
  sending,
  texts,
  target,
}: {
  onSend(text: string): Promise<unknown>;
  sending: boolean;
  texts: TextFormTexts;
  /** Where canned replies (typed with `/`) take their variables from. */
  target: CannedTarget;
}) {
  const { t } = useI18n();
  const ti = useInboxT();
  const [text, setText] = useState('');
  const send = () => {
    const body = text.trim();
    if (body)
      void onSend(body)
        .then(() => setText(''))
        .catch(() => undefined);
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <Stack gap={6}>
        <CannedTextarea
          placeholder={t(texts.placeholder)}
          label={t(texts.label)}
          value={text}
          onChange={setText}
          onSubmit={send}
          target={target}
          testId={`${texts.testId}-text`}
        />
        <Group justify="space-between" wrap="nowrap">
          <Text size="xs" c="dimmed" visibleFrom="sm">
            {ti('sendHint')}
          </Text>
          <Button
            ml="auto"
            type="submit"
            variant={texts === NOTE_TEXTS ? 'light' : 'filled'}
            loading={sending}
            disabled={!text.trim()}
            data-testid={`${texts.testId}-send`}
          >
            {t(texts.submit)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Close, asking once: the customer is told and the bot takes over again. */
function CloseButton({ onConfirm, busy }: { onConfirm(): void; busy: boolean }) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button variant="default" onClick={() => setAsking(true)} data-testid="close">
        {t('conversation.close')}
      </Button>
    );
  }
  return (
    <Group gap="xs">
      <Text size="sm">{t('conversation.closeConfirm')}</Text>
      <Button color="red" size="xs" onClick={onConfirm} loading={busy} data-testid="close-confirm">
        {t('confirm.yes')}
      </Button>
      <Button size="xs" variant="default" onClick={() => setAsking(false)}>
        {t('confirm.no')}
      </Button>
    </Group>
  );
}

function useTakeover(c: ConversationDetail) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const onSettled = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['conversation', c.id] }),
      queryClient.invalidateQueries({ queryKey: ['conversations'] }),
    ]);
  const ok = (message: string) => () => notifications.show({ color: 'teal', message });
  const onError = (err: unknown) =>
    isApiError(err, 409) && c.assignee
      ? notifications.show({
          color: 'orange',
          message: t('conversation.alreadyAssigned', { name: c.assignee.name ?? c.assignee.id }),
        })
      : notifications.show({
          color: 'red',
          message: t('conversation.actionFailed', {
            message: err instanceof Error ? err.message : String(err),
          }),
        });
  return {
    claim: useMutation({
      mutationFn: () => claimConversation(c.id),
      onSuccess: ok(t('conversation.claimed')),
      onError,
      onSettled,
    }),
    close: useMutation({
      mutationFn: () => closeConversation(c.id),
      onSuccess: ok(t('conversation.closed')),
      onError,
      onSettled,
    }),
    reply: useMutation({
      mutationFn: (text: string) => replyToConversation(c.id, text),
      onSuccess: ok(t('conversation.sent')),
      onError,
      onSettled,
    }),
    note: useMutation({
      mutationFn: (text: string) => addConversationNote(c.id, text),
      onSuccess: ok(t('conversation.noted')),
      onError,
      onSettled,
    }),
  };
}

/** Takes a conversation the bot holds, without writing yet (the customer is told). */
function TakeOverButton({ id }: { id: string }) {
  const t = useOutreachT();
  const take = useTakeOverSend(id);
  return (
    <Button
      size="xs"
      onClick={() => take.mutate(undefined)}
      loading={take.isPending}
      data-testid="take-over"
    >
      {t('takeOver')}
    </Button>
  );
}

/** What the reply tab says when this agent cannot answer (yet). */
function ReplyBlocked({ c, mine }: { c: ConversationDetail; mine: boolean }) {
  const ti = useInboxT();
  let text: string;
  if (c.status === 'queued') text = ti('replyHint');
  else if (c.status === 'assigned' && !mine)
    text = ti('replyOther', { name: c.assignee?.name ?? c.assignee?.id ?? '' });
  else if (c.status === 'closed') text = ti('replyClosed');
  else text = ti('replyBot');
  return (
    <Alert color="blue" variant="light" p="xs" data-testid="reply-blocked">
      {text}
    </Alert>
  );
}

/**
 * The composer pinned under the transcript: claim/close on top, then Reply and Note tabs (the
 * reply tab is where the answer goes once the conversation is yours).
 */
export function AgentActions({ c }: { c: ConversationDetail }) {
  const { t } = useI18n();
  const ti = useInboxT();
  const user = useCurrentUser();
  const { claim, close, reply, note } = useTakeover(c);
  const mine = c.assignee?.id === `user:${user.id}`;
  const [tab, setTab] = useState<string | null>(null);
  if (!roleAllows(user.role, ['agent'])) {
    return (
      <Text size="sm" c="dimmed" p="sm" data-testid="read-only">
        {t('conversation.readOnly')}
      </Text>
    );
  }
  const escalated = c.status === 'queued' || c.status === 'assigned';
  // The bot's or the queue's: the agent may take it over (with or without a first message).
  const canTake = c.status === 'bot' || c.status === 'queued';
  const current = tab ?? (mine || canTake ? 'reply' : 'note');
  const target = { conversationId: c.id, language: c.locale };
  return (
    <Stack gap={6} p="sm" data-testid="agent-actions">
      {(c.status === 'bot' || escalated) && (
        <Group gap="xs" wrap="wrap">
          {c.status === 'queued' && (
            <Button
              size="xs"
              onClick={() => claim.mutate()}
              loading={claim.isPending}
              data-testid="claim"
            >
              {t('conversation.claim')}
            </Button>
          )}
          {c.status === 'bot' && <TakeOverButton id={c.id} />}
          {escalated && <CloseButton onConfirm={() => close.mutate()} busy={close.isPending} />}
          {c.status === 'assigned' && c.assignee && !mine && (
            <Text size="sm" c="dimmed">
              {t('conversation.assignedTo', { name: c.assignee.name ?? c.assignee.id })}
            </Text>
          )}
        </Group>
      )}
      {escalated && <AssignControl c={c} />}
      <Tabs value={current} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="reply" data-testid="composer-tab-reply">
            {ti('tabReply')}
          </Tabs.Tab>
          <Tabs.Tab value="note" data-testid="composer-tab-note">
            {ti('tabNote')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="reply" pt="xs">
          {mine ? (
            <TextForm
              onSend={(text) => reply.mutateAsync(text)}
              sending={reply.isPending}
              texts={REPLY_TEXTS}
              target={target}
            />
          ) : canTake ? (
            <TakeOverReply conversationId={c.id} status={c.status}>
              {(send, sending) => (
                <TextForm onSend={send} sending={sending} texts={REPLY_TEXTS} target={target} />
              )}
            </TakeOverReply>
          ) : (
            <ReplyBlocked c={c} mine={mine} />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="note" pt="xs">
          <TextForm
            onSend={(text) => note.mutateAsync(text)}
            sending={note.isPending}
            texts={NOTE_TEXTS}
            target={target}
          />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
