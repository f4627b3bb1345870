/**
 * The analytics page's charts under the KPI cards: volume and rates over time, the lead funnel,
 * per channel and per language, top intents and unanswered questions; each downloadable as CSV.
 */
import { BarChart, LineChart } from '@mantine/charts';
import { SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { getSeries, type Figures, type Metric, type Summary } from './api';
import { ChartCard } from './ChartCard';
import { useAnalyticsT, type AnalyticsKey } from './texts';
import { useI18n, useVocabularyNames } from '../../i18n/i18n';

const RATES: Metric[] = ['containmentRate', 'fallbackRate', 'escalationRate'];
const VOLUME: Metric[] = ['conversations', 'messagesIn', 'messagesOut'];

/** The URL filters the charts follow (the summary's range comes with the summary). */
export interface ChartFilters {
  channel: string;
  language: string;
  interval: string;
}

function Breakdown({
  title,
  file,
  rows,
  label,
  nameOf,
}: {
  title: string;
  file: string;
  rows: Record<string, Figures>;
  label: string;
  /** The readable name of a row's key (a channel id, a language code). */
  nameOf(key: string): string;
}) {
  const t = useAnalyticsT();
  const data = Object.entries(rows).map(([k, f]) => ({
    key: nameOf(k),
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
          nameOf(k),
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

/** The volume and rate series of the summary's range, one row per date, and as CSV. */
function useSeriesByDate(s: Summary, filters: ChartFilters) {
  const t = useAnalyticsT();
  const interval = filters.interval === 'week' ? 'week' : 'day';
  const filter = { from: s.from, to: s.to, channel: filters.channel, language: filters.language };
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
  return { byDate, csvOf };
}

function SeriesCharts({ s, filters }: { s: Summary; filters: ChartFilters }) {
  const t = useAnalyticsT();
  const { byDate, csvOf } = useSeriesByDate(s, filters);
  const colors = ['blue.6', 'grape.6', 'orange.6'];
  return (
    <>
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
    </>
  );
}

function FunnelChart({ s }: { s: Summary }) {
  const t = useAnalyticsT();
  const { language } = useI18n();
  const funnel = [
    { step: t('m.conversations'), count: s.conversations ?? 0 },
    { step: t('m.leads'), count: s.leads ?? 0 },
    { step: t('m.qualifiedLeads'), count: s.qualifiedLeads ?? 0 },
    { step: t('m.wonLeads'), count: s.wonLeads ?? 0 },
  ];
  return (
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
        withBarValueLabel
        valueFormatter={(v) => v.toLocaleString(language)}
        barChartProps={{ margin: { right: 32 } }}
        data-testid="funnel-chart"
        series={[{ name: 'count', label: t('col.count'), color: 'indigo.6' }]}
      />
    </ChartCard>
  );
}

function TopIntents({ s }: { s: Summary }) {
  const t = useAnalyticsT();
  return (
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
  );
}

function TopUnanswered({ s }: { s: Summary }) {
  const t = useAnalyticsT();
  return (
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
  );
}

export function Charts({ s, filters }: { s: Summary; filters: ChartFilters }) {
  const t = useAnalyticsT();
  const names = useVocabularyNames();
  return (
    <Stack gap="md" mt="md">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <SeriesCharts s={s} filters={filters} />
        <FunnelChart s={s} />
        <Breakdown
          title={t('chart.channels')}
          file="analytics-channels"
          rows={s.byChannel}
          label={t('col.channel')}
          nameOf={names.channel}
        />
        <Breakdown
          title={t('chart.languages')}
          file="analytics-languages"
          rows={s.byLanguage}
          label={t('col.language')}
          nameOf={names.language}
        />
        <TopIntents s={s} />
      </SimpleGrid>
      <TopUnanswered s={s} />
    </Stack>
  );
}
