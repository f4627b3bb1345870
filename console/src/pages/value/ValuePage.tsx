/**
 * /console/value — customer value (issue 22): the model in plain words, the CLV distribution,
 * top customers, the at-risk list with its reasons, the RFM grid and the backtest (predicted
 * against actual repeat purchases for a chosen split, with the error in numbers).
 */
import { BarChart, LineChart } from '@mantine/charts';
import '@mantine/charts/styles.css';
import {
  Alert,
  Anchor,
  Button,
  Group,
  List,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { useI18n } from '../../i18n/i18n';
import { useFactorText } from '../leads/Propensity';
import { getAtRisk, getBacktest, getModel, getOverview, getPropensity } from './api';
import { ReasonList, useMoney, useSegmentName } from './parts';
import { useValueT } from './texts';

function Card({
  title,
  children,
  testId,
}: {
  title: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="section"
      aria-label={title}
      data-testid={testId}
      style={{ minWidth: 0 }}
    >
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

const fmt = (n: number, digits = 2) => (Math.round(n * 10 ** digits) / 10 ** digits).toString();

function ModelCard() {
  const t = useValueT();
  const money = useMoney();
  const model = useQuery({ queryKey: ['value-model'], queryFn: getModel });
  if (!model.data) return null;
  const m = model.data;
  const b = m.bgnbd;
  const g = m.gammaGamma;
  return (
    <Card title={t('params')} testId="value-params">
      <Stack gap={6}>
        {b && g ? (
          <>
            <Text size="sm">
              {t('paramsPurchase', {
                r: fmt(b.r, 3),
                alpha: fmt(b.alpha, 2),
                weeks: fmt(b.alpha / b.r, 1),
                // The Gamma's shape r: its coefficient of variation is 1/√r.
                spread: t(b.r < 1 ? 'spreadWide' : b.r < 4 ? 'spreadSome' : 'spreadNarrow'),
              })}
            </Text>
            <Text size="sm">
              {t('paramsDropout', {
                a: fmt(b.a, 3),
                b: fmt(b.b, 3),
                pct: fmt((100 * b.a) / (b.a + b.b), 0),
              })}
            </Text>
            <Text size="sm">
              {t('paramsSpend', {
                p: fmt(g.p),
                q: fmt(g.q),
                v: fmt(g.v),
                mean: g.q > 1 ? money((g.p * g.v) / (g.q - 1), m.baseCurrency) : '—',
              })}
            </Text>
          </>
        ) : (
          <Text size="sm">{t('paramsMissing')}</Text>
        )}
      </Stack>
    </Card>
  );
}

function Backtest() {
  const t = useValueT();
  const [draft, setDraft] = useState({ calibrationEnd: '', holdoutEnd: '' });
  const [split, setSplit] = useState({ calibrationEnd: '', holdoutEnd: '' });
  const q = useQuery({
    queryKey: ['value-backtest', split],
    queryFn: () => getBacktest(split.calibrationEnd || undefined, split.holdoutEnd || undefined),
    retry: false,
  });
  const bt = q.data;
  return (
    <Card title={t('backtest')} testId="value-backtest">
      <Text size="sm" c="dimmed" mb="sm">
        {t('backtestHint')}
      </Text>
      <Group align="end" gap="xs" mb="sm" wrap="wrap">
        <TextInput
          type="date"
          label={t('calibrationEnd')}
          value={draft.calibrationEnd || bt?.calibrationEnd || ''}
          onChange={(e) => setDraft({ ...draft, calibrationEnd: e.currentTarget.value })}
        />
        <TextInput
          type="date"
          label={t('holdoutEnd')}
          value={draft.holdoutEnd || bt?.holdoutEnd || ''}
          onChange={(e) => setDraft({ ...draft, holdoutEnd: e.currentTarget.value })}
        />
        <Button onClick={() => setSplit(draft)} loading={q.isFetching}>
          {t('run')}
        </Button>
      </Group>
      {q.error && <Alert color="red">{t('failed', { message: (q.error as Error).message })}</Alert>}
      {bt && (
        <Stack gap="sm">
          <Stack gap={2} data-testid="backtest-errors">
            <Text size="sm" fw={600}>
              {t('errTotal', {
                predicted: fmt(bt.errors.totalPredicted, 0),
                actual: bt.errors.totalActual,
                pct: fmt(bt.errors.cumulativeErrorPct, 1),
              })}
            </Text>
            {bt.errors.trackingErrorPct !== null && (
              <Text size="sm">{t('errTracking', { pct: fmt(bt.errors.trackingErrorPct, 1) })}</Text>
            )}
            <Text size="sm">
              {t('errMae', {
                mae: fmt(bt.errors.weeklyMae, 1),
                customerMae: fmt(bt.errors.customerMae, 2),
              })}
            </Text>
          </Stack>
          <Text size="sm" fw={500}>
            {t('weekly')}
          </Text>
          <LineChart
            h={220}
            data={bt.weeks.map((w) => ({ week: w.week, predicted: w.predicted, actual: w.actual }))}
            dataKey="week"
            withLegend
            series={[
              { name: 'predicted', label: t('predicted'), color: 'blue.6' },
              { name: 'actual', label: t('actual'), color: 'orange.6' },
            ]}
          />
          {bt.tracking.length > 0 && (
            <Text size="sm" fw={500}>
              {t('cumulative')}
            </Text>
          )}
          {bt.tracking.length > 0 && (
            <LineChart
              h={220}
              data={bt.tracking.map((w) => ({
                start: w.start,
                predicted: Math.round(w.predictedCumulative),
                actual: w.actualCumulative,
              }))}
              dataKey="start"
              withLegend
              referenceLines={[
                {
                  x: bt.tracking.find((w) => w.period === 'holdout')?.start ?? '',
                  label: t('holdoutEnd'),
                },
              ]}
              series={[
                { name: 'predicted', label: t('predicted'), color: 'blue.6' },
                { name: 'actual', label: t('actual'), color: 'orange.6' },
              ]}
            />
          )}
        </Stack>
      )}
    </Card>
  );
}

/** The lead propensity model: its time-split AUC in plain words and its strongest factors, or the fallback. */
function PropensityCard() {
  const t = useValueT();
  const { formatDate } = useI18n();
  const factor = useFactorText();
  const q = useQuery({ queryKey: ['value-propensity'], queryFn: getPropensity, retry: false });
  if (q.isLoading || q.error) return null;
  const m = q.data;
  return (
    <Card title={t('propensity')} testId="value-propensity">
      {!m ? (
        <Text size="sm">{t('propensityNone')}</Text>
      ) : m.status === 'rule_fallback' ? (
        <Text size="sm" data-testid="propensity-fallback">
          {t('propensityFallback', {
            min: m.minClosed,
            closed: m.closed,
            won: m.won,
            lost: m.lost,
          })}
        </Text>
      ) : (
        <Stack gap={6}>
          <Text size="sm">
            {t('propensityModel', {
              closed: m.closed,
              won: m.won,
              lost: m.lost,
              date: formatDate(m.trainedAt),
              scored: m.openLeadsScored,
            })}
          </Text>
          <Text size="sm" fw={600} data-testid="propensity-auc">
            {m.auc === null
              ? t('propensityAucNone')
              : t('propensityAuc', {
                  train: m.trainSize,
                  test: m.testSize,
                  pct: fmt(m.auc * 100, 0),
                  auc: fmt(m.auc, 2),
                })}
          </Text>
          {m.topFactors.length > 0 && (
            <>
              <Text size="sm" fw={500}>
                {t('propensityTop')}
              </Text>
              <List size="sm" spacing={0} data-testid="propensity-top">
                {m.topFactors.slice(0, 5).map((f) => (
                  <List.Item key={f.feature}>
                    {f.weight >= 0 ? '▲' : '▼'} {factor(f.feature)}
                  </List.Item>
                ))}
              </List>
            </>
          )}
        </Stack>
      )}
    </Card>
  );
}

function RfmGrid({
  cells,
}: {
  cells: Array<{ recency: number; frequency: number; customers: number }>;
}) {
  const t = useValueT();
  const max = Math.max(1, ...cells.map((c) => c.customers));
  const at = (r: number, f: number) =>
    cells.find((c) => c.recency === r && c.frequency === f)?.customers ?? 0;
  return (
    <Card title={t('rfm')} testId="value-rfm">
      <Text size="xs" c="dimmed" mb="xs">
        {t('rfmHint')}
      </Text>
      <Table withTableBorder ta="center" fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>
              {t('recency')} \ {t('frequency')}
            </Table.Th>
            {[1, 2, 3, 4, 5].map((f) => (
              <Table.Th key={f} ta="center">
                {f}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {[5, 4, 3, 2, 1].map((r) => (
            <Table.Tr key={r}>
              <Table.Th ta="center">{r}</Table.Th>
              {[1, 2, 3, 4, 5].map((f) => {
                const n = at(r, f);
                return (
                  <Table.Td
                    key={f}
                    style={{ background: `rgba(34, 139, 230, ${(0.6 * n) / max})` }}
                  >
                    {n}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function Overview() {
  const t = useValueT();
  const { formatDate } = useI18n();
  const money = useMoney();
  const segmentName = useSegmentName();
  const o = useQuery({ queryKey: ['value-overview'], queryFn: getOverview, retry: false });
  const risk = useQuery({ queryKey: ['value-at-risk'], queryFn: getAtRisk, retry: false });
  if (o.isLoading) return null;
  if (!o.data) return <Alert color="gray">{t('noFit')}</Alert>;
  const v = o.data;
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t('asOf', { date: formatDate(v.asOf), customers: v.customers, currency: v.currency })}
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <ModelCard />
        <Card title={t('clv')} testId="value-clv">
          <BarChart
            h={220}
            data={v.clvDistribution.map((b) => ({
              bin: `${Math.round(b.from)}–${Math.round(b.to)}`,
              customers: b.customers,
            }))}
            dataKey="bin"
            series={[{ name: 'customers', label: t('clvAxis'), color: 'teal.6' }]}
          />
        </Card>
      </SimpleGrid>
      <Card title={t('atRisk')} testId="value-at-risk">
        {risk.data && risk.data.customers.length > 0 ? (
          <>
            <Text size="xs" c="dimmed" mb="xs">
              {t('atRiskTotal', { total: risk.data.total })}
            </Text>
            {/* At phone width risk, revenue and reasons stack under the name: no sideways scroll. */}
            <Table fz="sm" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('name')}</Table.Th>
                  <Table.Th visibleFrom="sm">{t('risk')}</Table.Th>
                  <Table.Th visibleFrom="sm">{t('revenue')}</Table.Th>
                  <Table.Th visibleFrom="sm">{t('reasons')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {risk.data.customers.map((c) => (
                  <Table.Tr key={c.contactId} data-testid="at-risk-row">
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>
                      <Anchor component={Link} to={`/contacts/${c.contactId}`} size="sm">
                        {c.name ?? t('unnamed')}
                      </Anchor>
                      <Stack gap={2} hiddenFrom="sm">
                        <Text size="xs" c="dimmed">
                          {t('risk')} {Math.round(c.risk * 100)} % · {t('revenue')}{' '}
                          {money(c.historicRevenue, risk.data.currency)}
                        </Text>
                        <ReasonList reasons={c.reasons} />
                      </Stack>
                    </Table.Td>
                    <Table.Td visibleFrom="sm">{Math.round(c.risk * 100)} %</Table.Td>
                    <Table.Td visibleFrom="sm">
                      {money(c.historicRevenue, risk.data.currency)}
                    </Table.Td>
                    <Table.Td visibleFrom="sm">
                      <ReasonList reasons={c.reasons} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        ) : (
          <Text size="sm">{t('atRiskEmpty')}</Text>
        )}
      </Card>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Card title={t('top')} testId="value-top">
          {/* At phone width the chance of being active and the orders go under the name. */}
          <Table fz="sm" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('name')}</Table.Th>
                <Table.Th>{t('clv12m')}</Table.Th>
                <Table.Th visibleFrom="sm">{t('pActive')}</Table.Th>
                <Table.Th visibleFrom="sm">{t('orders')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {v.topCustomers.map((c) => {
                const active =
                  c.probabilityActive === null ? '—' : `${Math.round(c.probabilityActive * 100)} %`;
                return (
                  <Table.Tr key={c.contactId} data-testid="top-row">
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>
                      <Anchor component={Link} to={`/contacts/${c.contactId}`} size="sm">
                        {c.name ?? t('unnamed')}
                      </Anchor>
                      <Text size="xs" c="dimmed">
                        {segmentName(c.segment)}
                      </Text>
                      <Text size="xs" c="dimmed" hiddenFrom="sm">
                        {t('pActive')} {active} · {t('orders')} {c.orders}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {c.clv12m === null ? '—' : money(c.clv12m, v.currency)}
                    </Table.Td>
                    <Table.Td visibleFrom="sm">{active}</Table.Td>
                    <Table.Td visibleFrom="sm">{c.orders}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Card>
        <RfmGrid cells={v.rfmGrid} />
      </SimpleGrid>
      <Backtest />
    </Stack>
  );
}

export default function ValuePage() {
  const t = useValueT();
  return (
    <Stack gap="md">
      <PageHeader title={t('title')} />
      <Overview />
      <PropensityCard />
    </Stack>
  );
}
