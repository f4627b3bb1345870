/**
 * Revenue on the analytics page (GET /api/analytics/revenue): orders and revenue over the page's
 * dates, per day split by attribution (campaign, conversation, none), by the last touch's channel
 * and per campaign, with the definitions as help text and the days as CSV
 * (GET /api/analytics/revenue.csv, headers in the browser's language).
 */
import { BarChart } from '@mantine/charts';
import {
  Button,
  Group,
  List,
  Paper,
  ScrollArea,
  SimpleGrid,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { call } from '../../api/client';
import type { ResponseOf } from '../../api/endpoints';
import { ErrorState, LoadingState } from '../../components/states';
import { useI18n, useVocabularyNames } from '../../i18n/i18n';
import { pageTexts } from '../../i18n/page-texts';

const en = {
  title: 'Revenue',
  intro:
    'Orders placed in these dates and what they were worth, and what Charla did with those customers in the {days} days before each order. Channel and language filters do not apply here.',
  csv: 'Download CSV',
  orders: 'Orders',
  revenue: 'Revenue',
  average: 'Average order',
  campaign: 'After a campaign',
  conversation: 'After a conversation',
  none: 'No touch',
  share: '{pct} of revenue',
  perDay: 'Revenue per day',
  byChannel: 'By channel of the last touch',
  byCampaign: 'By campaign',
  channel: 'Channel',
  name: 'Campaign',
  noChannel: 'No touch',
  noCampaign: 'No order followed a campaign in these dates.',
  empty: 'No orders in these dates.',
  excluded: '{count} cancelled or returned orders are left out.',
  definitions: 'How these are counted',
  defOrders:
    'Orders and revenue: orders placed on these days (UTC), cancelled and returned ones left out; amounts in {currency}.',
  defCampaign:
    'After a campaign: a campaign message was sent to the customer, or they replied to one, in the {days} days before the order (the latest such campaign gets the credit). This wins over a conversation.',
  defConversation:
    'After a conversation: otherwise, the customer had a conversation (not the studio’s test chat) going on in the {days} days before the order.',
  defChannel:
    'Channel: where the latest of those touches happened (the campaign’s channel or the conversation’s).',
};
const es: typeof en = {
  title: 'Ingresos',
  intro:
    'Pedidos hechos en estas fechas y lo que valieron, y qué hizo Charla con esos clientes en los {days} días anteriores a cada pedido. Los filtros de canal e idioma no se aplican aquí.',
  csv: 'Descargar CSV',
  orders: 'Pedidos',
  revenue: 'Ingresos',
  average: 'Pedido medio',
  campaign: 'Tras una campaña',
  conversation: 'Tras una conversación',
  none: 'Sin contacto',
  share: '{pct} de los ingresos',
  perDay: 'Ingresos por día',
  byChannel: 'Por canal del último contacto',
  byCampaign: 'Por campaña',
  channel: 'Canal',
  name: 'Campaña',
  noChannel: 'Sin contacto',
  noCampaign: 'Ningún pedido siguió a una campaña en estas fechas.',
  empty: 'No hay pedidos en estas fechas.',
  excluded: 'Se dejan fuera {count} pedidos cancelados o devueltos.',
  definitions: 'Cómo se cuentan',
  defOrders:
    'Pedidos e ingresos: pedidos hechos en estos días (UTC), sin los cancelados ni los devueltos; importes en {currency}.',
  defCampaign:
    'Tras una campaña: se envió al cliente un mensaje de campaña, o respondió a uno, en los {days} días anteriores al pedido (el mérito es de la campaña más reciente). Esto prevalece sobre una conversación.',
  defConversation:
    'Tras una conversación: si no, el cliente tuvo una conversación (no el chat de pruebas del estudio) en curso en los {days} días anteriores al pedido.',
  defChannel:
    'Canal: dónde ocurrió el último de esos contactos (el canal de la campaña o el de la conversación).',
};
const useRevenueT = pageTexts(en, es);

type Report = ResponseOf<'GET /api/analytics/revenue'>;

/** By the last touch's channel and per campaign. */
function Breakdown({ r, money }: { r: Report; money: (v: number) => string }) {
  const t = useRevenueT();
  const { language } = useI18n();
  const names = useVocabularyNames();
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" mb="sm">
      <div style={{ minWidth: 0 }}>
        <Text size="sm" fw={600} mb={4}>
          {t('byChannel')}
        </Text>
        <ScrollArea type="auto">
          <Table striped miw={300} data-testid="revenue-by-channel">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('channel')}</Table.Th>
                <Table.Th ta="right">{t('orders')}</Table.Th>
                <Table.Th ta="right">{t('revenue')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.byChannel.map((c) => (
                <Table.Tr key={c.channel} data-channel={c.channel}>
                  <Table.Td>
                    {c.channel === 'none' ? t('noChannel') : names.channel(c.channel)}
                  </Table.Td>
                  <Table.Td ta="right">{c.orders.toLocaleString(language)}</Table.Td>
                  <Table.Td ta="right">{money(c.revenue)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </div>
      <div style={{ minWidth: 0 }}>
        <Text size="sm" fw={600} mb={4}>
          {t('byCampaign')}
        </Text>
        {r.byCampaign.length === 0 ? (
          <Text size="sm">{t('noCampaign')}</Text>
        ) : (
          <ScrollArea type="auto">
            <Table striped miw={300} data-testid="revenue-by-campaign">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('name')}</Table.Th>
                  <Table.Th ta="right">{t('orders')}</Table.Th>
                  <Table.Th ta="right">{t('revenue')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {r.byCampaign.map((c) => (
                  <Table.Tr key={c.campaignId}>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>{c.name}</Table.Td>
                    <Table.Td ta="right">{c.orders.toLocaleString(language)}</Table.Td>
                    <Table.Td ta="right">{money(c.revenue)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        )}
      </div>
    </SimpleGrid>
  );
}

function Definitions({ days, currency }: { days: number; currency: string }) {
  const t = useRevenueT();
  return (
    <>
      <Text size="sm" fw={600} mt="sm">
        {t('definitions')}
      </Text>
      <List size="xs" c="dimmed" spacing={2} data-testid="revenue-definitions">
        {(['defOrders', 'defCampaign', 'defConversation', 'defChannel'] as const).map((k) => (
          <List.Item key={k}>{t(k, { days, currency })}</List.Item>
        ))}
      </List>
    </>
  );
}

export function Revenue({ from, to }: { from?: string; to?: string }) {
  const t = useRevenueT();
  const { language, formatPercent } = useI18n();
  const query = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
  const report = useQuery({
    queryKey: ['analytics', 'revenue', query],
    queryFn: () => call('GET /api/analytics/revenue', { query }),
  });
  const csvHref = `/api/analytics/revenue.csv${
    Object.keys(query).length ? `?${new URLSearchParams(query).toString()}` : ''
  }`;
  const r = report.data;
  const money = (v: number) =>
    new Intl.NumberFormat(language, {
      style: 'currency',
      currency: r?.currency ?? 'EUR',
      maximumFractionDigits: 2,
    }).format(v);
  const kpis: Array<{ key: string; label: string; value: string; hint?: string }> = r
    ? [
        { key: 'orders', label: t('orders'), value: r.orders.toLocaleString(language) },
        { key: 'revenue', label: t('revenue'), value: money(r.revenue) },
        {
          key: 'average',
          label: t('average'),
          value: r.averageOrder === null ? '—' : money(r.averageOrder),
        },
        ...(['campaign', 'conversation'] as const).map((a) => ({
          key: a,
          label: t(a),
          value: money(r.byAttribution[a].revenue),
          hint: r.revenue
            ? t('share', { pct: formatPercent(r.byAttribution[a].revenue / r.revenue) })
            : undefined,
        })),
      ]
    : [];
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      mt="md"
      component="section"
      aria-label={t('title')}
      data-testid="revenue-report"
    >
      <Group justify="space-between" align="baseline" wrap="wrap">
        <Title order={2} size="h4">
          {t('title')}
        </Title>
        <Button
          component="a"
          href={csvHref}
          download
          size="xs"
          variant="light"
          data-testid="revenue-csv"
        >
          {t('csv')}
        </Button>
      </Group>
      <Text size="xs" c="dimmed" mb="sm">
        {t('intro', { days: r?.windowDays ?? 7 })}
      </Text>
      {report.isPending ? (
        <LoadingState />
      ) : report.isError ? (
        <ErrorState error={report.error} onRetry={() => void report.refetch()} />
      ) : r!.orders === 0 ? (
        <Text size="sm" data-testid="revenue-empty">
          {t('empty')}
        </Text>
      ) : (
        <>
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm" mb="md">
            {kpis.map((k) => (
              <Paper key={k.key} withBorder radius="md" p="sm" data-testid={`revenue-${k.key}`}>
                <Text size="sm" fw={600}>
                  {k.label}
                </Text>
                <Text fz={{ base: 'lg', sm: 'xl' }} fw={700} style={{ overflowWrap: 'anywhere' }}>
                  {k.value}
                </Text>
                {k.hint && (
                  <Text size="xs" c="dimmed">
                    {k.hint}
                  </Text>
                )}
              </Paper>
            ))}
          </SimpleGrid>
          <Text size="sm" fw={600}>
            {t('perDay')}
          </Text>
          <BarChart
            h={220}
            mb="md"
            type="stacked"
            withLegend
            data={r!.perDay.map((d) => ({
              date: d.date,
              campaign: d.campaignRevenue,
              conversation: d.conversationRevenue,
              none: Math.round((d.revenue - d.campaignRevenue - d.conversationRevenue) * 100) / 100,
            }))}
            dataKey="date"
            valueFormatter={money}
            series={[
              { name: 'campaign', label: t('campaign'), color: 'grape.6' },
              { name: 'conversation', label: t('conversation'), color: 'teal.6' },
              { name: 'none', label: t('none'), color: 'gray.5' },
            ]}
          />
          <Breakdown r={r!} money={money} />
          {r!.cancelledOrReturned > 0 && (
            <Text size="xs" c="dimmed">
              {t('excluded', { count: r!.cancelledOrReturned })}
            </Text>
          )}
        </>
      )}
      <Definitions days={r?.windowDays ?? 7} currency={r?.currency ?? 'EUR'} />
    </Paper>
  );
}
