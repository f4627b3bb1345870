/** /console/studio/unanswered (admin): what the bot missed, grouped; add as phrases or dismiss. */
import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/i18n';
import {
  addUnanswered,
  dismissUnanswered,
  getDraft,
  listClarified,
  listUnanswered,
  type ClarifiedPick,
  type UnansweredGroup,
} from './api';
import { useStudioT } from './texts';

function GroupCard({ g, intents }: { g: UnansweredGroup; intents: string[] }) {
  const t = useStudioT();
  const { formatPercent, formatDateTime } = useI18n();
  const queryClient = useQueryClient();
  // A weak guess is not preselected: the admin picks the intent.
  const guess =
    g.closestIntent && g.closestIntent.confidence >= 0.25 ? g.closestIntent.intent : null;
  const [intent, setIntent] = useState<string | null>(guess);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['studio'] });
  const add = useMutation({
    mutationFn: () => addUnanswered(g.messageIds, intent!, g.language),
    onSuccess: (r) => {
      notifications.show({
        color: 'teal',
        message: t('addedPhrases', { count: r.added, intent: intent! }),
      });
      refresh();
    },
  });
  const dismiss = useMutation({
    mutationFn: () => dismissUnanswered(g.messageIds),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('dismissed') });
      refresh();
    },
  });
  return (
    <Paper withBorder radius="md" p="sm" data-testid="unanswered-group">
      <Group justify="space-between" mb={4} wrap="wrap">
        <Group gap={6}>
          <Badge tt="none">{t('messages', { count: g.count })}</Badge>
          <Badge tt="none" variant="light" color="gray">
            {g.language}
          </Badge>
        </Group>
        {g.closestIntent && (
          <Text size="xs" c="dimmed">
            {t('closest', {
              intent: g.closestIntent.intent,
              confidence: formatPercent(g.closestIntent.confidence),
            })}
          </Text>
        )}
      </Group>
      <Stack gap={2} mb="xs">
        {g.examples.map((e) => (
          <Text key={e.id} size="sm" className="transcript-text">
            “{e.text}”{' '}
            <Text span size="xs" c="dimmed">
              {formatDateTime(e.at)}
            </Text>
          </Text>
        ))}
      </Stack>
      <Group gap="xs" align="flex-end" wrap="wrap">
        <Select
          label={t('addTo')}
          data={intents}
          value={intent}
          onChange={setIntent}
          searchable
          size="xs"
          w={220}
        />
        <Button size="xs" disabled={!intent} loading={add.isPending} onClick={() => add.mutate()}>
          {t('add')}
        </Button>
        <Button
          size="xs"
          variant="subtle"
          color="gray"
          loading={dismiss.isPending}
          onClick={() => dismiss.mutate()}
        >
          {t('dismiss')}
        </Button>
      </Group>
    </Paper>
  );
}

function ClarifiedRow({ p }: { p: ClarifiedPick }) {
  const t = useStudioT();
  const { formatDateTime } = useI18n();
  const queryClient = useQueryClient();
  const add = useMutation({
    mutationFn: () => addUnanswered([p.id], p.intent, p.language),
    onSuccess: (r) => {
      notifications.show({
        color: 'teal',
        message: t('addedPhrases', { count: r.added, intent: p.intent }),
      });
      void queryClient.invalidateQueries({ queryKey: ['studio'] });
    },
  });
  return (
    <Stack component="li" gap={4} data-testid="clarified-pick">
      <Stack gap={0}>
        <Text size="sm" className="transcript-text">
          “{p.text}”
        </Text>
        <Text size="xs" c="dimmed">
          {p.language} · {t('clarifiedPicked', { intent: p.intent })} · {formatDateTime(p.at)}
        </Text>
      </Stack>
      <Button
        size="xs"
        variant="light"
        style={{ alignSelf: 'flex-start' }}
        loading={add.isPending}
        disabled={add.isSuccess}
        onClick={() => add.mutate()}
      >
        {t('clarifiedAdd', { intent: p.intent })}
      </Button>
    </Stack>
  );
}

/** Messages understood only after a clarifying question: candidates for training phrases. */
function ClarifiedSection({ query }: { query: Record<string, string | null> }) {
  const t = useStudioT();
  const picks = useQuery({
    queryKey: ['studio', 'clarified', query],
    queryFn: () => listClarified(query),
  });
  return (
    <Paper withBorder radius="md" p="sm" component="section" aria-label={t('clarifiedTitle')}>
      <Text fw={600} size="sm">
        {t('clarifiedTitle')}
      </Text>
      <Text size="xs" c="dimmed" mb="xs">
        {t('clarifiedIntro')}
      </Text>
      {picks.isError ? (
        <ErrorState error={picks.error} onRetry={() => void picks.refetch()} />
      ) : picks.data && picks.data.picks.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('clarifiedEmpty')}
        </Text>
      ) : (
        <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {(picks.data?.picks ?? []).map((p) => (
            <ClarifiedRow key={p.id} p={p} />
          ))}
        </Stack>
      )}
    </Paper>
  );
}

export default function UnansweredPage() {
  const t = useStudioT();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [language, setLanguage] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['studio', 'unanswered', from, to, language],
    queryFn: () => listUnanswered({ from, to, language }),
  });
  const draft = useQuery({ queryKey: ['studio', 'draft'], queryFn: getDraft });
  const intents = (draft.data?.intents ?? []).map((i) => i.name);

  let content;
  if (list.isPending) content = <LoadingState rows={6} />;
  else if (list.isError)
    content = <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  else if (list.data.groups.length === 0)
    content = <EmptyState title={t('unansweredEmpty')} hint={t('unansweredEmptyHint')} />;
  else
    content = (
      <Stack gap="sm">
        {list.data.truncated && (
          <Alert color="yellow" variant="light">
            {t('truncated', { count: list.data.scanned })}
          </Alert>
        )}
        {list.data.groups.map((g) => (
          <GroupCard key={g.id} g={g} intents={intents} />
        ))}
      </Stack>
    );
  return (
    <Stack gap="sm">
      <PageHeader title={t('unansweredTitle')}>
        <Button component={Link} to="/studio" variant="default" size="sm">
          {t('backToStudio')}
        </Button>
      </PageHeader>
      <Text size="sm" c="dimmed">
        {t('unansweredIntro')}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 3 }} maw={640}>
        <TextInput
          type="date"
          label={t('from')}
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
          size="sm"
        />
        <TextInput
          type="date"
          label={t('to')}
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
          size="sm"
        />
        <Select
          label={t('language')}
          placeholder={t('all')}
          data={[
            { value: 'es', label: 'Español' },
            { value: 'en', label: 'English' },
          ]}
          value={language}
          onChange={setLanguage}
          clearable
          size="sm"
        />
      </SimpleGrid>
      {content}
      <ClarifiedSection query={{ from, to, language }} />
    </Stack>
  );
}
