/** The live audience of a segment on a channel: who will receive it, who is left out and why. */
import { Group, List, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { ErrorState } from '../../components/states';
import type { AudiencePreview, ExclusionReason } from './api';
import { useCampaignT } from './texts';

const REASONS: readonly ExclusionReason[] = [
  'no_consent',
  'unsubscribed',
  'unreachable',
  'erased',
  'duplicate',
];

export function AudiencePanel({ query }: { query: UseQueryResult<AudiencePreview> }) {
  const t = useCampaignT();
  if (query.isPending && query.fetchStatus === 'idle') return null;
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      aria-live="polite"
      aria-busy={query.isFetching}
      data-testid="campaign-audience"
    >
      {query.isPending ? (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="sm">{t('audienceLoading')}</Text>
        </Group>
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <Stack gap={6}>
          <Group gap="xs" align="baseline" wrap="wrap">
            <Title order={3} fz="h4" data-testid="campaign-audience-count">
              {t('audienceCount', { count: query.data.count })}
            </Title>
            <Text size="sm" c="dimmed">
              {t('audienceOf', { count: query.data.segmentContacts })}
            </Text>
          </Group>
          {REASONS.some((r) => query.data.excluded[r] > 0) && (
            <>
              <Text size="sm" fw={600} id="campaign-excluded-title">
                {t('excludedTitle')}
              </Text>
              <List
                size="sm"
                spacing={2}
                aria-labelledby="campaign-excluded-title"
                data-testid="campaign-exclusions"
              >
                {REASONS.filter((r) => query.data.excluded[r] > 0).map((r) => (
                  <List.Item key={r} data-reason={r}>
                    <b>{query.data.excluded[r]}</b> · {t(`reason.${r}`)}
                  </List.Item>
                ))}
              </List>
            </>
          )}
          <Text size="xs" c="dimmed">
            {t('audienceNow')}
          </Text>
        </Stack>
      )}
    </Paper>
  );
}
