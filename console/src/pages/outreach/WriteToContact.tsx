/**
 * "Write to this contact" on the customer page (issue 19.3, agents and admins): a dialog that
 * lists the contact's channels (their latest conversation on each) with whether staff may write
 * there now and, if not, why (GET …/reach); a message box; sending (POST …/conversations) takes
 * the conversation over — or opens a closed one again — and goes to its page, where the message
 * shows. A channel that refuses (WhatsApp outside its 24-hour window…) cannot be picked.
 */
import { Alert, Button, Group, Radio, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { ReachChannel } from '../../../../src/features/outreach/schemas';
import { ChannelBadge, StatusBadge } from '../../components/badges';
import { DialogButton } from '../../components/dialog-button';
import { useI18n } from '../../i18n/i18n';
import { contactReach, startConversation } from './api';
import { refusalCodeText, refusalText, useOutreachT } from './texts';

const MAX_TEXT = 4000;

function ChannelChoice({ ch }: { ch: ReachChannel }) {
  const t = useOutreachT();
  const { formatDateTime } = useI18n();
  const why = ch.refusal
    ? ch.refusal.code === 'outside_window' && ch.lastMessageAt
      ? t('write.outsideWindowSince', { date: formatDateTime(ch.lastMessageAt) })
      : refusalCodeText(t, ch.refusal.code, ch.refusal.message)
    : ch.windowEndsAt
      ? t('write.windowUntil', { date: formatDateTime(ch.windowEndsAt) })
      : t('write.canWrite');
  const whyId = `write-why-${ch.channel}`;
  return (
    <Radio.Card
      value={ch.channel}
      disabled={!ch.reachable}
      p="xs"
      radius="md"
      aria-describedby={whyId}
      data-testid="write-channel"
      data-channel={ch.channel}
      data-reachable={ch.reachable}
      style={{ opacity: ch.reachable ? 1 : 0.85, cursor: ch.reachable ? 'pointer' : 'not-allowed' }}
    >
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Radio.Indicator disabled={!ch.reachable} mt={2} />
        <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
          <Group gap={4} wrap="wrap">
            <ChannelBadge channel={ch.channel} />
            <StatusBadge status={ch.status} />
          </Group>
          <Text
            id={whyId}
            size="xs"
            c={ch.reachable ? 'dimmed' : 'orange.9'}
            data-testid="write-channel-reason"
          >
            {why}
          </Text>
        </Stack>
      </Group>
    </Radio.Card>
  );
}

function WriteForm({ contactId, onClose }: { contactId: string; onClose: () => void }) {
  const t = useOutreachT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const reach = useQuery({
    queryKey: ['contact', contactId, 'reach'],
    queryFn: () => contactReach(contactId),
    staleTime: 0,
  });
  const channels = reach.data?.channels ?? [];
  const open = channels.filter((c) => c.reachable);
  const [picked, setPicked] = useState<string | null>(null);
  const channel = picked ?? open[0]?.channel ?? null;
  const [text, setText] = useState('');
  const send = useMutation({
    mutationFn: () => startConversation(contactId, channel!, text.trim()),
    onSuccess: (res) => {
      // The answer names the conversation (a closed one opened again is a new one): go there; its
      // page reads it afresh, so the message and the new status show at once.
      const id = res.conversation.id;
      for (const queryKey of [['conversation', id], ['conversations'], ['contact', contactId]]) {
        void queryClient.invalidateQueries({ queryKey });
      }
      void navigate(`/conversations/${id}`);
      onClose();
    },
  });
  const canSend = channel !== null && text.trim().length > 0 && !send.isPending;

  return (
    <Stack gap="sm" data-testid="write-dialog">
      <Text size="sm" c="dimmed">
        {t('write.hint')}
      </Text>
      {reach.isError && (
        <Alert color="red" role="alert">
          {refusalText(t, reach.error)}
        </Alert>
      )}
      {reach.isSuccess && channels.length === 0 && (
        <Alert color="gray" data-testid="write-no-channels">
          {t('write.noChannels')}
        </Alert>
      )}
      {channels.length > 0 && (
        <Radio.Group
          value={channel}
          onChange={setPicked}
          label={t('write.channel')}
          data-testid="write-channels"
        >
          <Stack gap={6} mt={4}>
            {channels.map((ch) => (
              <ChannelChoice key={ch.channel} ch={ch} />
            ))}
          </Stack>
        </Radio.Group>
      )}
      {reach.isSuccess && channels.length > 0 && open.length === 0 && (
        <Alert color="orange" data-testid="write-nowhere">
          {t('write.nowhere')}
        </Alert>
      )}
      <Textarea
        label={t('write.message')}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        autosize
        minRows={3}
        maxRows={10}
        maxLength={MAX_TEXT}
        disabled={channel === null}
        data-autofocus
        data-testid="write-text"
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && canSend) send.mutate();
        }}
      />
      {send.isError && (
        <Alert color="red" role="alert" data-testid="write-error">
          {refusalText(t, send.error)}
        </Alert>
      )}
      <Group justify="flex-end" gap="xs">
        <Button variant="default" onClick={onClose}>
          {t('write.cancel')}
        </Button>
        <Button
          disabled={!canSend}
          loading={send.isPending}
          onClick={() => send.mutate()}
          data-testid="write-send"
        >
          {t('write.send')}
        </Button>
      </Group>
    </Stack>
  );
}

export function WriteToContactButton({ contactId }: { contactId: string }) {
  const t = useOutreachT();
  return (
    <DialogButton label={t('write.open')} title={t('write.title')} testId="write-open">
      {(close) => <WriteForm contactId={contactId} onClose={close} />}
    </DialogButton>
  );
}
