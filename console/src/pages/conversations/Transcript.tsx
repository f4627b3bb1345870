/**
 * The messages of a conversation, oldest first. Customer messages show what the NLU read
 * (intent, confidence, language); staff notes are marked and never reached the customer.
 * Text is rendered by React (escaped), never as HTML.
 */
import { Badge, Box, Group, Paper, Stack, Text } from '@mantine/core';
import type { Message } from '../../api/types';
import { EmptyState } from '../../components/states';
import { useI18n } from '../../i18n/i18n';

function NluReading({ nlu }: { nlu: NonNullable<Message['nlu']> }) {
  const { t, formatPercent } = useI18n();
  return (
    <Group gap={4} data-testid="nlu-reading">
      <Badge
        size="xs"
        variant="light"
        color={nlu.intent ? 'violet' : 'gray'}
        tt="none"
        title={t('conversation.intent')}
        data-testid="nlu-intent"
      >
        {nlu.intent ?? t('conversation.noIntent')}
      </Badge>
      <Badge
        size="xs"
        variant="default"
        tt="none"
        title={t('conversation.confidence')}
        data-testid="nlu-confidence"
      >
        {formatPercent(nlu.confidence)}
      </Badge>
      {/* The server sends null when no language was detected (the schema says so; the old copy did not). */}
      {nlu.language && (
        <Badge
          size="xs"
          variant="default"
          tt="none"
          title={t('conversation.language')}
          data-testid="nlu-language"
        >
          {nlu.language.toUpperCase()}
        </Badge>
      )}
    </Group>
  );
}

function MessageBubble({ m }: { m: Message }) {
  const { t, formatDateTime } = useI18n();
  const inbound = m.direction === 'in';
  const author =
    m.author === 'staff' && m.staff?.name
      ? `${t('conversation.author.staff')} · ${m.staff.name}`
      : t(`conversation.author.${m.author}`);
  const bg = m.internal
    ? 'yellow.0'
    : inbound
      ? 'gray.0'
      : m.author === 'staff'
        ? 'teal.0'
        : 'blue.0';
  return (
    <Box
      component="li"
      style={{
        listStyle: 'none',
        display: 'flex',
        justifyContent: inbound ? 'flex-start' : 'flex-end',
      }}
    >
      <Paper
        p="sm"
        radius="md"
        bg={bg}
        withBorder
        maw="min(85%, 560px)"
        data-testid="transcript-message"
        data-message-id={m.id}
        data-direction={m.direction}
        data-author={m.author}
        data-internal={m.internal ? 'true' : undefined}
      >
        <Stack gap={4}>
          <Group gap="xs" justify="space-between" wrap="wrap">
            <Text size="xs" fw={600} c="dark.6">
              {author}
            </Text>
            <Text size="xs" c="dimmed">
              {formatDateTime(m.createdAt)}
            </Text>
          </Group>
          {m.internal && (
            <Badge size="xs" color="yellow" variant="filled" tt="none" w="fit-content">
              {t('conversation.internal')}
            </Badge>
          )}
          <Text size="sm" className="transcript-text" data-testid="message-text">
            {m.text}
          </Text>
          {m.attachments?.map((a, i) => (
            <Text key={i} size="xs" c="dimmed">
              📎 {a.name ?? a.kind}
            </Text>
          ))}
          {m.quickReplies && m.quickReplies.length > 0 && (
            <Group gap={4}>
              {m.quickReplies.map((q) => (
                <Badge key={q.payload} size="xs" variant="outline" tt="none">
                  {q.title}
                </Badge>
              ))}
            </Group>
          )}
          {inbound && m.nlu && <NluReading nlu={m.nlu} />}
          {m.status === 'failed' && (
            <Text size="xs" c="red.8" title={m.error}>
              {t('conversation.failed')}
              {m.error ? `: ${m.error}` : ''}
            </Text>
          )}
          {m.status === 'pending' && !m.internal && (
            <Text size="xs" c="dimmed">
              {t('conversation.pending')}
            </Text>
          )}
        </Stack>
      </Paper>
    </Box>
  );
}

export function Transcript({ messages }: { messages: Message[] }) {
  const { t } = useI18n();
  if (messages.length === 0) return <EmptyState title={t('conversation.noMessages')} />;
  return (
    <Stack
      component="ol"
      gap="sm"
      p={0}
      m={0}
      aria-label={t('conversation.transcript')}
      data-testid="transcript"
    >
      {messages.map((m) => (
        <MessageBubble key={m.id} m={m} />
      ))}
    </Stack>
  );
}
