/**
 * /console/analytics (admin, marketer, viewer): KPI cards with their definitions, volume and
 * rate time series, the lead funnel, per channel and per language, top intents and unanswered
 * questions; each chart's data downloadable as CSV. Filters (days, channel, language) live in
 * the URL.
 */
import '@mantine/charts/styles.css';
import { BarChart, LineChart } from '@mantine/charts';
import {
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { useUrlFilters } from '../../components/url-filters';
import { useI18n } from '../../i18n/i18n';
import { CHANNELS, getSeries, getSummary, type Figures, type Metric, type Summary } from './api';
import { ChartCard } from './ChartCard';
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
const RATES: Metric[] = ['containmentRate', 'fallbackRate', 'escalationRate'];
const VOLUME: Metric[] = ['conversations', 'messagesIn', 'messagesOut'];

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
        data={[all, ...CHANNELS.map((c) => ({ value: c, label: c }))]}
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

function Breakdown({
  title,
  file,
  rows,
  label,
}: {
  title: string;
  file: string;
  rows: Record<string, Figures>;
  label: string;
}) {
  const t = useAnalyticsT();
  const data = Object.entries(rows).map(([k, f]) => ({
    key: k,
    conversations: f.conversations ?? 0,
    leads: f.leads ?? 0,
    escalated: Math.round((f.escalationRate ?? 0) * (f.conversations ?? 0)),
  }));
  return (
    <ChartCard
      title={title}
      file={file}
      data={{
        header: [
          label,
          t('m.conversations'),
          t('m.leads'),
          t('m.escalationRate'),
          t('m.containmentRate'),
          t('m.fallbackRate'),
        ],
        rows: Object.entries(rows).map(([k, f]) => [
          k,
          f.conversations,
          f.leads,
          f.escalationRate,
          f.containmentRate,
          f.fallbackRate,
        ]),
      }}
    >
      <BarChart
        h={220}
        data={data}
        dataKey="key"
        withLegend
        series={[
          { name: 'conversations', label: t('m.conversations'), color: 'blue.6' },
          { name: 'escalated', label: t('m.escalationRate'), color: 'orange.6' },
          { name: 'leads', label: t('m.leads'), color: 'teal.6' },
        ]}
      />
    </ChartCard>
  );
}

function Charts({ s }: { s: Summary }) {
  const t = useAnalyticsT();
  const { values } = useUrlFilters(KEYS);
  const interval = values.interval === 'week' ? 'week' : 'day';
  const filter = { from: s.from, to: s.to, channel: values.channel, language: values.language };
  const series = useQueries({
    queries: [...VOLUME, ...RATES].map((metric) => ({
      queryKey: ['analytics', 'series', metric, interval, filter],
      queryFn: () => getSeries({ ...filter, metric, interval }),
    })),
  });
  const byDate = (metrics: Metric[]) => {
    const rows = new Map<string, Record<string, number | string | null>>();
    series.forEach((q) => {
      if (!q.data || !metrics.includes(q.data.metric)) return;
      for (const p of q.data.points) {
        const row = rows.get(p.date) ?? { date: p.date };
        row[q.data.metric] = p.value;
        rows.set(p.date, row);
      }
    });
    return [...rows.values()];
  };
  const csvOf = (metrics: Metric[]) => ({
    header: [t('col.date'), ...metrics.map((m) => t(`m.${m}` as AnalyticsKey))],
    rows: byDate(metrics).map((r) => [
      String(r.date),
      ...metrics.map((m) => (r[m] as number | null) ?? null),
    ]),
  });
  const funnel = [
    { step: t('m.conversations'), count: s.conversations ?? 0 },
    { step: t('m.leads'), count: s.leads ?? 0 },
    { step: t('m.qualifiedLeads'), count: s.qualifiedLeads ?? 0 },
    { step: t('m.wonLeads'), count: s.wonLeads ?? 0 },
  ];
  const colors = ['blue.6', 'grape.6', 'orange.6'];
  return (
    <Stack gap="md" mt="md">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <ChartCard title={t('chart.volume')} file="analytics-volume" data={csvOf(VOLUME)}>
          <LineChart
            h={240}
            data={byDate(VOLUME)}
            dataKey="date"
            withLegend
            curveType="linear"
            series={VOLUME.map((m, i) => ({
              name: m,
              label: t(`m.${m}` as AnalyticsKey),
              color: colors[i]!,
            }))}
          />
        </ChartCard>
        <ChartCard title={t('chart.rates')} file="analytics-rates" data={csvOf(RATES)}>
          <LineChart
            h={240}
            data={byDate(RATES)}
            dataKey="date"
            withLegend
            connectNulls
            yAxisProps={{ domain: [0, 1] }}
            valueFormatter={(v) => `${Math.round(v * 100)} %`}
            series={RATES.map((m, i) => ({
              name: m,
              label: t(`m.${m}` as AnalyticsKey),
              color: ['teal.6', 'red.6', 'orange.6'][i]!,
            }))}
          />
        </ChartCard>
        <ChartCard
          title={t('chart.funnel')}
          file="analytics-funnel"
          data={{
            header: [t('col.step'), t('col.count')],
            rows: funnel.map((f) => [f.step, f.count]),
          }}
        >
          <BarChart
            h={240}
            data={funnel}
            dataKey="step"
            orientation="vertical"
            yAxisProps={{ width: 110 }}
            series={[{ name: 'count', label: t('col.count'), color: 'indigo.6' }]}
          />
        </ChartCard>
        <Breakdown
          title={t('chart.channels')}
          file="analytics-channels"
          rows={s.byChannel}
          label={t('col.channel')}
        />
        <Breakdown
          title={t('chart.languages')}
          file="analytics-languages"
          rows={s.byLanguage}
          label={t('col.language')}
        />
        <ChartCard
          title={t('chart.intents')}
          file="analytics-intents"
          data={{
            header: [t('col.intent'), t('col.count')],
            rows: s.topIntents.map((i) => [i.intent, i.count]),
          }}
        >
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('col.intent')}</Table.Th>
                <Table.Th ta="right">{t('col.count')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.topIntents.map((i) => (
                <Table.Tr key={i.intent}>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{i.intent}</Table.Td>
                  <Table.Td ta="right">{i.count}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ChartCard>
      </SimpleGrid>
      <ChartCard
        title={t('chart.unanswered')}
        file="analytics-unanswered"
        data={{
          header: [t('col.text'), t('col.count')],
          rows: s.topUnanswered.map((u) => [u.text, u.count]),
        }}
      >
        {s.topUnanswered.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('noUnanswered')}
          </Text>
        ) : (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('col.text')}</Table.Th>
                <Table.Th ta="right">{t('col.count')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.topUnanswered.map((u) => (
                <Table.Tr key={u.text}>
                  <Table.Td className="transcript-text" style={{ overflowWrap: 'anywhere' }}>
                    {u.text}
                  </Table.Td>
                  <Table.Td ta="right">{u.count}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </ChartCard>
    </Stack>
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
          <Charts s={summary.data} />
        </>
      )}
    </>
  );
}
