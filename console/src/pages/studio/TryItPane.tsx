/** "Try it": a chat with the draft (a real engine turn in a sandbox), plus a one-line classifier test. */
import { Badge, Button, Group, Paper, ScrollArea, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { chatWithDraft, testDraft, type ChatTurn, type TestResult } from './api';
import { useStudioT, type StudioKey } from './texts';

interface Line {
  who: 'you' | 'bot' | 'note';
  text: string;
}

export function TryItPane() {
  const t = useStudioT();
  const { formatPercent } = useI18n();
  const [session, setSession] = useState<string | undefined>();
  const [lines, setLines] = useState<Line[]>([]);
  const [text, setText] = useState('');
  const [probe, setProbe] = useState('');
  const [tested, setTested] = useState<TestResult | null>(null);

  const describe = (turn: ChatTurn) =>
    `${turn.nlu.intent ?? t('noIntent')} · ${formatPercent(turn.nlu.confidence)} · ${turn.nlu.language}`;
  const chat = useMutation({
    mutationFn: (message: string) => chatWithDraft(message, session),
    onSuccess: (turn) => {
      setSession(turn.sessionId);
      const effects = turn.effects.map((e) => t(`effect.${e.type}` as StudioKey)).join(', ');
      setLines((l) => [
        ...l,
        { who: 'note', text: describe(turn) },
        ...turn.replies.map((r) => ({ who: 'bot' as const, text: r.text })),
        ...(effects ? [{ who: 'note' as const, text: t('wouldDo', { effects }) }] : []),
      ]);
    },
  });
  const test = useMutation({ mutationFn: testDraft, onSuccess: setTested });
  const send = () => {
    const message = text.trim();
    if (!message) return;
    setLines((l) => [...l, { who: 'you', text: message }]);
    setText('');
    chat.mutate(message);
  };

  return (
    <Stack gap="sm" data-testid="studio-try">
      <Group justify="space-between">
        <Text fw={600}>{t('tryIt')}</Text>
        <Button
          size="compact-xs"
          variant="subtle"
          onClick={() => {
            setSession(undefined);
            setLines([]);
          }}
        >
          {t('restart')}
        </Button>
      </Group>
      <Paper withBorder radius="md" p="xs">
        <ScrollArea h={260} type="auto">
          {lines.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('chatEmpty')}
            </Text>
          ) : (
            <Stack gap={6}>
              {lines.map((l, i) =>
                l.who === 'note' ? (
                  <Text key={i} size="xs" c="dimmed" ta="center" data-testid="try-note">
                    {l.text}
                  </Text>
                ) : (
                  <Paper
                    key={i}
                    p="6px 10px"
                    radius="md"
                    bg={l.who === 'you' ? 'blue.0' : 'gray.0'}
                    ml={l.who === 'you' ? 'xl' : 0}
                    mr={l.who === 'bot' ? 'xl' : 0}
                    data-testid={l.who === 'bot' ? 'try-bot' : 'try-you'}
                  >
                    <Text size="xs" c="dimmed">
                      {t(l.who)}
                    </Text>
                    <Text size="sm" className="transcript-text">
                      {l.text}
                    </Text>
                  </Paper>
                ),
              )}
            </Stack>
          )}
        </ScrollArea>
      </Paper>
      <Group gap="xs" wrap="nowrap">
        <TextInput
          style={{ flex: 1 }}
          placeholder={t('chatPlaceholder')}
          aria-label={t('chatPlaceholder')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => e.key === 'Enter' && send()}
          data-testid="try-input"
        />
        <Button onClick={send} loading={chat.isPending} data-testid="try-send">
          {t('send')}
        </Button>
      </Group>
      <Group gap="xs" wrap="nowrap" align="flex-end">
        <TextInput
          style={{ flex: 1 }}
          label={t('testText')}
          value={probe}
          onChange={(e) => setProbe(e.currentTarget.value)}
          onKeyDown={(e) => e.key === 'Enter' && probe.trim() && test.mutate(probe.trim())}
        />
        <Button
          variant="default"
          onClick={() => probe.trim() && test.mutate(probe.trim())}
          loading={test.isPending}
        >
          {t('test')}
        </Button>
      </Group>
      {tested && (
        <Group gap={6} data-testid="try-test-result">
          <Badge tt="none" color={tested.intent ? 'teal' : 'gray'}>
            {tested.intent ?? t('noIntent')} · {formatPercent(tested.confidence)}
          </Badge>
          {tested.alternatives.length > 0 && (
            <Text size="xs" c="dimmed">
              {t('alternatives')}:{' '}
              {tested.alternatives
                .map((a) => `${a.intent} ${formatPercent(a.confidence)}`)
                .join(', ')}
            </Text>
          )}
        </Group>
      )}
    </Stack>
  );
}
