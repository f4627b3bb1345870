/** The contact page's engagement summary (GET /api/contacts/:id → engagement). */
import { Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Engagement } from '../../api/types';
import { ChannelBadge } from '../../components/badges';
import { formatScore, moodOf } from '../../components/sentiment';
import { useI18n } from '../../i18n/i18n';
import { useInsightT } from './insight-texts';

function Figure({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2} style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      {children}
    </Stack>
  );
}

export function EngagementSection({ e }: { e: Engagement }) {
  const t = useInsightT();
  const { formatDateTime } = useI18n();
  const avg = e.sentiment.average;
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      component="section"
      aria-label={t('engagement')}
      data-testid="engagement"
    >
      <Title order={2} size="h5" mb="xs">
        {t('engagement')}
      </Title>
      <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="sm" verticalSpacing="xs">
        <Figure label={t('firstContact')}>
          <Text size="sm">{formatDateTime(e.firstContactAt)}</Text>
        </Figure>
        <Figure label={t('lastContact')}>
          <Text size="sm">{formatDateTime(e.lastContactAt)}</Text>
        </Figure>
        <Figure label={t('conversations')}>
          <Text size="sm" fw={600} data-testid="engagement-conversations">
            {e.conversations}
          </Text>
        </Figure>
        <Figure label={t('leads')}>
          <Text size="sm" fw={600}>
            {e.leads}
          </Text>
        </Figure>
        <Figure label={t('cases')}>
          <Text size="sm">
            <b>{e.cases}</b> · {t('openCases', { count: e.openCases })}
          </Text>
        </Figure>
        <Figure label={t('csat')}>
          <Text size="sm">
            {e.csat
              ? t('csatValue', { average: e.csat.average, count: e.csat.responses })
              : t('noCsat')}
          </Text>
        </Figure>
        <Figure label={t('channelsUsed')}>
          <Group gap={4}>
            {e.channels.map((ch) => (
              <ChannelBadge key={ch} channel={ch} />
            ))}
          </Group>
        </Figure>
        <Figure label={t('sentiment')}>
          <Text size="sm">
            {avg === null
              ? t('noSentiment')
              : `${t('sentimentAverage', { score: formatScore(avg) })} (${t(`mood.${moodOf(avg)}`)})`}
          </Text>
          {e.sentiment.frustratedConversations > 0 && (
            <Text size="xs" c="red.8">
              ⚠ {t('frustratedConversations', { count: e.sentiment.frustratedConversations })}
            </Text>
          )}
        </Figure>
      </SimpleGrid>
    </Paper>
  );
}
