/**
 * /console/analytics (admin, marketer, viewer): KPI cards with their definitions, volume and
 * rate time series, the lead funnel, per channel and per language, top intents and unanswered
 * questions; each chart's data downloadable as CSV; revenue (orders per day, channel and
 * campaign attribution, Revenue.tsx), shown even before the first conversation. Filters (days, channel, language) live in
 * the URL.
 */
import '@mantine/charts/styles.css';
import { Button, Group, Paper, Select, SimpleGrid, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { useUrlFilters } from '../../components/url-filters';
import { useI18n, useVocabularyNames } from '../../i18n/i18n';
import { CHANNELS, getSummary, type Figures, type Metric } from './api';
import { AgentReport } from './AgentReport';
import { Charts } from './Charts';
import { Revenue } from './Revenue';
import { useAnalyticsT, type AnalyticsKey } from './texts';

const KEYS = ['from', 'to', 'channel', 'language', 'interval'] as const;
const KPIS: Metric[] = [
  'conversations',
  'containmentRate',
  'escalationRate',
  'fallbackRate',
  'messagesIn',
  'messagesOut',
  'medianQueueWaitSeconds',
  'medianFirstStaffReplySeconds',
  'leads',
  'wonLeads',
  'casesResolved',
  'csatAverage',
];

function useFormat() {
  const t = useAnalyticsT();
  const { formatPercent, language } = useI18n();
  return (metric: Metric, v: number | null) => {
    if (v === null) return t('none');
    if (metric.endsWith('Rate')) return formatPercent(v);
    if (metric.endsWith('Seconds'))
      return v >= 120
        ? t('minutes', { value: (v / 60).toFixed(1) })
        : t('seconds', { value: Math.round(v) });
    if (metric === 'csatAverage') return v.toLocaleString(language, { maximumFractionDigits: 2 });
    return v.toLocaleString(language);
  };
}

function Kpis({ s }: { s: Figures }) {
  const t = useAnalyticsT();
  const format = useFormat();
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 4 }} spacing="sm">
      {KPIS.map((m) => (
        <Paper key={m} withBorder radius="md" p="sm" data-testid={`kpi-${m}`}>
          <Text size="sm" fw={600}>
            {t(`m.${m}` as AnalyticsKey)}
          </Text>
          <Text fz={{ base: 'xl', sm: '1.75rem' }} fw={700}>
            {format(m, s[m])}
          </Text>
          <Text size="xs" c="dimmed">
            {t(`d.${m}` as AnalyticsKey)}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

/** The filters; the dates show the range the server used (by default the last 30 days). */
function Filters({ range }: { range?: { from: string; to: string } }) {
  const t = useAnalyticsT();
  const names = useVocabularyNames();
  const { values, set, clear } = useUrlFilters(KEYS);
  const all = { value: '', label: t('all') };
  return (
    <Group align="end" gap="sm" wrap="wrap" mb="md">
      <TextInput
        type="date"
        label={t('from')}
        value={values.from || range?.from || ''}
        onChange={(e) => set({ from: e.currentTarget.value })}
      />
      <TextInput
        type="date"
        label={t('to')}
        value={values.to || range?.to || ''}
        onChange={(e) => set({ to: e.currentTarget.value })}
      />
      <Select
        label={t('channel')}
        data={[all, ...CHANNELS.map((c) => ({ value: c, label: names.channel(c) }))]}
        value={values.channel}
        onChange={(v) => set({ channel: v ?? '' })}
        w={160}
      />
      <Select
        label={t('language')}
        data={[all, { value: 'es', label: t('es') }, { value: 'en', label: t('en') }]}
        value={values.language}
        onChange={(v) => set({ language: v ?? '' })}
        w={140}
      />
      <Select
        label={t('interval')}
        data={[
          { value: '', label: t('day') },
          { value: 'week', label: t('week') },
        ]}
        value={values.interval}
        onChange={(v) => set({ interval: v ?? '' })}
        w={120}
      />
      <Button variant="subtle" onClick={clear}>
        {t('reset')}
      </Button>
    </Group>
  );
}

export default function AnalyticsPage() {
  const t = useAnalyticsT();
  const { values } = useUrlFilters(KEYS);
  const filter = {
    from: values.from,
    to: values.to,
    channel: values.channel,
    language: values.language,
  };
  const summary = useQuery({
    queryKey: ['analytics', 'summary', filter],
    queryFn: () => getSummary(filter),
  });
  return (
    <>
      <PageHeader title={t('title')} />
      <Text size="sm" c="dimmed" mb="sm">
        {t('intro')}
      </Text>
      <Filters range={summary.data} />
      {summary.isPending ? (
        <LoadingState />
      ) : summary.isError ? (
        <ErrorState error={summary.error} onRetry={() => void summary.refetch()} />
      ) : summary.data.conversations === 0 ? (
        <EmptyState title={t('empty')} hint={t('emptyHint')} />
      ) : (
        <>
          <Kpis s={summary.data} />
          <Charts s={summary.data} filters={values} />
          <AgentReport from={values.from} to={values.to} />
        </>
      )}
      {!summary.isPending && <Revenue from={values.from} to={values.to} />}
    </>
  );
}
