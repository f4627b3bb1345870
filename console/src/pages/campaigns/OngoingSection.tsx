/**
 * Ongoing web chat campaigns on /console/campaigns (issue 21.2): each with its URL pattern, seconds
 * on the page, audience and shown/replied figures; writers create them and switch them on or off
 * (the server checks roles and audits). The text is shown as text, never HTML.
 */
import {
  Badge,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorText } from '../../api/client';
import { ErrorState, LoadingState } from '../../components/states';
import {
  createOngoing,
  listOngoing,
  setOngoingEnabled,
  type OngoingBody,
  type OngoingCampaignView,
} from './api';
import { useCampaignT } from './texts';

const KEY = ['campaigns', 'ongoing'];

function OngoingCard({ c, canWrite }: { c: OngoingCampaignView; canWrite: boolean }) {
  const t = useCampaignT();
  const qc = useQueryClient();
  const toggle = useMutation({
    mutationFn: (enabled: boolean) => setOngoingEnabled(c.id, enabled),
    onSuccess: () => qc.invalidateQueries({ queryKey: KEY }),
    onError: (err) =>
      notifications.show({ color: 'red', message: t('failed', { message: errorText(err) }) }),
  });
  const text = c.message.es?.text ?? c.message.en?.text ?? '';
  return (
    <Paper withBorder p="sm" radius="md" data-testid="ongoing-row">
      <Stack gap={6}>
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
            {c.name}
          </Text>
          <Switch
            checked={c.enabled}
            disabled={!canWrite || toggle.isPending}
            onChange={(e) => toggle.mutate(e.currentTarget.checked)}
            label={t('ongoing.enabled')}
            aria-label={`${t('ongoing.enabled')}: ${c.name}`}
          />
        </Group>
        <Group gap="xs" wrap="wrap">
          <Badge variant="light" style={{ textTransform: 'none', maxWidth: '100%' }}>
            {c.rules.urlPattern}
          </Badge>
          <Text size="sm">{t('ongoing.after', { seconds: c.rules.secondsOnPage })}</Text>
          <Text size="sm">{t(`ongoing.audience.${c.rules.audience}`)}</Text>
        </Group>
        <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>
          {text}
        </Text>
        <Text size="sm">
          {t('ongoing.counts', { shown: c.counts.shown, replied: c.counts.replied })}
        </Text>
      </Stack>
    </Paper>
  );
}

function OngoingForm({ onDone }: { onDone: () => void }) {
  const t = useCampaignT();
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [urlPattern, setUrlPattern] = useState('');
  const [seconds, setSeconds] = useState<number>(10);
  const [audience, setAudience] = useState<'all' | 'returning'>('all');
  const [es, setEs] = useState('');
  const [en, setEn] = useState('');
  const create = useMutation({
    mutationFn: (body: OngoingBody) => createOngoing(body),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: KEY });
      notifications.show({ color: 'teal', message: t('done') });
      onDone();
    },
    onError: (err) =>
      notifications.show({ color: 'red', message: t('failed', { message: errorText(err) }) }),
  });
  const submit = () =>
    create.mutate({
      name: name.trim(),
      rules: { urlPattern: urlPattern.trim(), secondsOnPage: seconds, audience },
      message: {
        ...(es.trim() ? { es: { text: es.trim() } } : {}),
        ...(en.trim() ? { en: { text: en.trim() } } : {}),
      },
      enabled: true,
    });
  return (
    <Paper withBorder p="sm" radius="md">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        aria-label={t('ongoing.new')}
      >
        <Stack gap="xs">
          <TextInput
            label={t('name')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label={t('ongoing.urlPattern')}
              description={t('ongoing.urlHint')}
              required
              value={urlPattern}
              onChange={(e) => setUrlPattern(e.currentTarget.value)}
            />
            <NumberInput
              label={t('ongoing.seconds')}
              min={0}
              max={3600}
              value={seconds}
              onChange={(v) => setSeconds(typeof v === 'number' ? v : Number(v) || 0)}
            />
            <Select
              label={t('ongoing.audience')}
              value={audience}
              allowDeselect={false}
              onChange={(v) => setAudience(v === 'returning' ? 'returning' : 'all')}
              data={[
                { value: 'all', label: t('ongoing.audience.all') },
                { value: 'returning', label: t('ongoing.audience.returning') },
              ]}
            />
          </SimpleGrid>
          <Textarea
            label={t('ongoing.textEs')}
            autosize
            minRows={2}
            value={es}
            onChange={(e) => setEs(e.currentTarget.value)}
          />
          <Textarea
            label={t('ongoing.textEn')}
            autosize
            minRows={2}
            value={en}
            onChange={(e) => setEn(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onDone}>
              {t('ongoing.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('ongoing.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

export function OngoingSection({ canWrite }: { canWrite: boolean }) {
  const t = useCampaignT();
  const [adding, setAdding] = useState(false);
  const q = useQuery({ queryKey: KEY, queryFn: listOngoing });
  return (
    <Stack gap="sm" component="section" aria-labelledby="ongoing-title" mt="lg">
      <Group justify="space-between" wrap="wrap">
        <Title order={2} size="h4" id="ongoing-title">
          {t('ongoing.title')}
        </Title>
        {canWrite && !adding && (
          <Button variant="light" onClick={() => setAdding(true)}>
            {t('ongoing.new')}
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        {t('ongoing.intro')}
      </Text>
      {adding && <OngoingForm onDone={() => setAdding(false)} />}
      {q.isLoading ? (
        <LoadingState />
      ) : q.isError ? (
        <ErrorState error={q.error} />
      ) : (q.data ?? []).length === 0 ? (
        <Text size="sm">{t('ongoing.empty')}</Text>
      ) : (
        (q.data ?? []).map((c) => <OngoingCard key={c.id} c={c} canWrite={canWrite} />)
      )}
    </Stack>
  );
}
