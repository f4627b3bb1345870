/**
 * Customer sentiment in the console: a small sparkline of a conversation's trend (with its
 * reading in words for screen readers and beside it) and the "frustrated" badge (icon + text,
 * not colour alone). Scores are −1 (negative) … +1 (positive), see src/pipeline/insight/sentiment.ts.
 */
import '@mantine/charts/styles.css';
import { Sparkline } from '@mantine/charts';
import { Badge, Group, Text, Tooltip } from '@mantine/core';
import type { SentimentTrend } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { useInsightT } from '../pages/contacts/insight-texts';

/** At or below this a message reads as negative (the server's NEGATIVE_AT). */
const NEGATIVE_AT = -0.25;
const POSITIVE_AT = 0.25;

export function moodOf(score: number): 'positive' | 'neutral' | 'negative' {
  if (score <= NEGATIVE_AT) return 'negative';
  return score >= POSITIVE_AT ? 'positive' : 'neutral';
}

export const formatScore = (score: number) =>
  score > 0 ? `+${score.toFixed(2)}` : score.toFixed(2);

export function FrustratedBadge({ size = 'sm' }: { size?: 'xs' | 'sm' }) {
  const t = useInsightT();
  return (
    <Tooltip label={t('frustratedHint')} multiline w={240}>
      <Badge color="red" variant="light" size={size} tt="none" data-testid="frustrated-badge">
        ⚠ {t('frustrated')}
      </Badge>
    </Tooltip>
  );
}

export function SentimentSparkline({
  sentiment,
  width = 120,
  withLatest = true,
}: {
  sentiment: SentimentTrend;
  width?: number;
  withLatest?: boolean;
}) {
  const t = useInsightT();
  const { formatDateTime } = useI18n();
  const points = sentiment.trend;
  if (points.length === 0) return null;
  const last = points[points.length - 1]!;
  const label = t('trendLabel', {
    count: points.length,
    first: formatDateTime(points[0]!.at),
    last: formatDateTime(last.at),
  });
  const mood = moodOf(last.score);
  // A single point draws no line: repeat it so the level shows.
  const data = points.length === 1 ? [last.score, last.score] : points.map((p) => p.score);
  return (
    <Group gap="xs" wrap="wrap" data-testid="sentiment-trend">
      <Sparkline
        role="img"
        aria-label={label}
        w={width}
        h={28}
        data={data}
        curveType="linear"
        color={mood === 'negative' ? 'red' : mood === 'positive' ? 'teal' : 'gray'}
        fillOpacity={0.25}
        strokeWidth={1.5}
        style={{ flex: 'none' }}
      />
      {withLatest && (
        <Text size="xs" c="dimmed">
          {t('latest', { score: formatScore(last.score), mood: t(`mood.${mood}`) })}
        </Text>
      )}
    </Group>
  );
}
