/**
 * The agent report (GET /api/analytics/agents): per agent and per team, conversations handled,
 * median first response, median resolution and CSAT over the page's dates, with the same table
 * as CSV (GET /api/analytics/agents.csv, headers in the browser's language).
 */
import { Button, Group, Paper, ScrollArea, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { call } from '../../api/client';
import type { AgentReportRow } from '../../../../src/features/analytics/schemas';
import { ErrorState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/i18n';
import { pageTexts } from '../../i18n/page-texts';

const en = {
  title: 'Agents and teams',
  intro: 'Conversations handled by staff in these dates, and how fast and well they were handled.',
  csv: 'Download CSV',
  agents: 'Agents',
  teams: 'Teams',
  name: 'Name',
  handled: 'Handled',
  firstResponse: 'Median first response',
  resolution: 'Median resolution',
  csat: 'CSAT (answers)',
  none: '—',
  empty: 'No conversations handled by staff in these dates.',
  seconds: '{value} s',
  minutes: '{value} min',
};
const es: typeof en = {
  title: 'Agentes y equipos',
  intro: 'Conversaciones atendidas por el equipo en estas fechas, y con qué rapidez y acierto.',
  csv: 'Descargar CSV',
  agents: 'Agentes',
  teams: 'Equipos',
  name: 'Nombre',
  handled: 'Atendidas',
  firstResponse: 'Mediana de primera respuesta',
  resolution: 'Mediana de resolución',
  csat: 'CSAT (respuestas)',
  none: '—',
  empty: 'Ninguna conversación atendida por el equipo en estas fechas.',
  seconds: '{value} s',
  minutes: '{value} min',
};
const useAgentReportT = pageTexts(en, es);

function Rows({ rows, kind }: { rows: AgentReportRow[]; kind: 'agents' | 'teams' }) {
  const t = useAgentReportT();
  const { language } = useI18n();
  const time = (v: number | null) =>
    v === null
      ? t('none')
      : v >= 120
        ? t('minutes', { value: (v / 60).toFixed(1) })
        : t('seconds', { value: Math.round(v) });
  return (
    <ScrollArea type="auto">
      <Table striped miw={560} data-testid={`agent-report-${kind}`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t(kind)}</Table.Th>
            <Table.Th ta="right">{t('handled')}</Table.Th>
            <Table.Th ta="right">{t('firstResponse')}</Table.Th>
            <Table.Th ta="right">{t('resolution')}</Table.Th>
            <Table.Th ta="right">{t('csat')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.id} data-testid="agent-report-row" data-id={r.id}>
              <Table.Td>{r.name}</Table.Td>
              <Table.Td ta="right">{r.handled.toLocaleString(language)}</Table.Td>
              <Table.Td ta="right">{time(r.medianFirstResponseSeconds)}</Table.Td>
              <Table.Td ta="right">{time(r.medianResolutionSeconds)}</Table.Td>
              <Table.Td ta="right">
                {r.csatAverage === null
                  ? t('none')
                  : `${r.csatAverage.toLocaleString(language, { maximumFractionDigits: 2 })} (${r.csatResponses})`}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}

export function AgentReport({ from, to }: { from?: string; to?: string }) {
  const t = useAgentReportT();
  const query = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
  const report = useQuery({
    queryKey: ['analytics', 'agents', query],
    queryFn: () => call('GET /api/analytics/agents', { query }),
  });
  const csvHref = `/api/analytics/agents.csv${
    Object.keys(query).length ? `?${new URLSearchParams(query).toString()}` : ''
  }`;
  return (
    <Paper withBorder radius="md" p="md" mt="md" data-testid="agent-report">
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
          data-testid="agent-report-csv"
        >
          {t('csv')}
        </Button>
      </Group>
      <Text size="xs" c="dimmed" mb="xs">
        {t('intro')}
      </Text>
      {report.isPending ? (
        <LoadingState />
      ) : report.isError ? (
        <ErrorState error={report.error} onRetry={() => void report.refetch()} />
      ) : report.data.agents.length === 0 && report.data.teams.length === 0 ? (
        <Text size="sm">{t('empty')}</Text>
      ) : (
        <>
          <Rows rows={report.data.agents} kind="agents" />
          {report.data.teams.length > 0 && <Rows rows={report.data.teams} kind="teams" />}
        </>
      )}
    </Paper>
  );
}
