/**
 * /console/campaigns/:id/report (issue 21.7): the funnel (queued → sent → delivered → clicked →
 * replied → converted, with unsubscribed and failed), each variant with the winner by the
 * report's metric, per channel and language, the CSV, and the recipients filtered by state or
 * step. Refreshes by itself while the campaign is sending.
 */
import { BarChart } from '@mantine/charts';
import '@mantine/charts/styles.css';
import {
  Anchor,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { Pager } from '../../components/pager';
import { ErrorState, LoadingState } from '../../components/states';
import { PageHeader } from '../../components/page-header';
import { useNarrow } from '../../components/use-narrow';
import { useI18n } from '../../i18n/i18n';
import {
  campaignReport,
  getCampaign,
  listRecipients,
  reportCsvUrl,
  type CampaignView,
  type Funnel,
  type RecipientView,
} from './api';
import { StatusBadge } from './CampaignsPage';
import { useCampaignT, type CampaignKey } from './texts';

const FUNNEL = ['queued', 'sent', 'delivered', 'clicked', 'replied', 'converted'] as const;
const SIDE = ['unsubscribed', 'failed', 'skipped'] as const;
const COLUMNS = [
  'recipients',
  'sent',
  'clicked',
  'replied',
  'converted',
  'unsubscribed',
  'failed',
] as const;
const FILTERS = [
  'queued',
  'sent',
  'failed',
  'skipped',
  'delivered',
  'clicked',
  'replied',
  'converted',
  'unsubscribed',
] as const;
const LIMIT = 25;

const isLive = (c?: CampaignView) => Boolean(c && ['sending', 'scheduled'].includes(c.status));

function Section({
  title,
  children,
  testId,
}: {
  title: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Paper withBorder p="sm" radius="md" data-testid={testId} style={{ minWidth: 0 }}>
      <Stack gap="xs">
        <Title order={2} fz="h4">
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

/** "Queued" in the funnel counts everyone who entered it (recipients), as the first step. */
const stepValue = (f: Funnel, k: (typeof FUNNEL)[number]) => (k === 'queued' ? f.recipients : f[k]);

function FunnelTable({
  rows,
  label,
}: {
  rows: Array<{ key: string; funnel: Funnel }>;
  label: string;
}) {
  const t = useCampaignT();
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{label}</Table.Th>
            {COLUMNS.map((c) => (
              <Table.Th key={c} ta="right">
                {t(`figure.${c}`)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.key}>
              <Table.Td>{r.key}</Table.Td>
              {COLUMNS.map((c) => (
                <Table.Td key={c} ta="right">
                  {r.funnel[c]}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** A recipient as a card, on phones. */
function RecipientCard({ r }: { r: RecipientView }) {
  const t = useCampaignT();
  const { formatDateTime } = useI18n();
  const reason = r.skipped ? t(`reason.${r.skipped}`) : r.reason;
  return (
    <Paper withBorder p="xs" radius="sm" data-testid="campaign-recipient">
      <Anchor component={Link} to={`/contacts/${r.contactId}`} size="sm" fw={600}>
        {r.name ?? t('unnamed')}
      </Anchor>
      <Text size="sm">
        {t(`state.${r.state}`)} · {t('variant')} {r.variant}
        {r.language ? ` · ${t(`lang.${r.language}`)}` : ''}
        {r.sentAt ? ` · ${formatDateTime(r.sentAt)}` : ''}
      </Text>
      {reason && (
        <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {reason}
        </Text>
      )}
    </Paper>
  );
}

function Recipients({ id, live }: { id: string; live: boolean }) {
  const t = useCampaignT();
  const { formatDateTime } = useI18n();
  const narrow = useNarrow();
  const [status, setStatus] = useState<string | null>(null);
  const [offset, setOffset] = useState(0);
  const query = useQuery({
    queryKey: ['campaigns', id, 'recipients', status, offset],
    queryFn: () => listRecipients(id, status, offset, LIMIT),
    refetchInterval: live ? 4000 : false,
  });
  return (
    <Section title={t('recipients')} testId="campaign-recipients">
      <Select
        label={t('filter')}
        value={status ?? ''}
        allowDeselect={false}
        data={[
          { value: '', label: t('all') },
          ...FILTERS.map((f) => ({ value: f, label: t(`figure.${f}`) })),
        ]}
        onChange={(v) => {
          setStatus(v || null);
          setOffset(0);
        }}
        w={220}
        maw="100%"
        data-testid="campaign-recipients-filter"
      />
      {query.isPending ? (
        <LoadingState rows={3} />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('noRecipients')}
        </Text>
      ) : narrow ? (
        <>
          {query.data.items.map((r) => (
            <RecipientCard key={r.id} r={r} />
          ))}
          <Pager offset={offset} limit={LIMIT} total={query.data.total} onOffset={setOffset} />
        </>
      ) : (
        <>
          <Table.ScrollContainer minWidth={560}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('contact')}</Table.Th>
                  <Table.Th>{t('state')}</Table.Th>
                  <Table.Th>{t('variant')}</Table.Th>
                  <Table.Th>{t('language')}</Table.Th>
                  <Table.Th>{t('sentAt')}</Table.Th>
                  <Table.Th>{t('reason')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {query.data.items.map((r) => (
                  <Table.Tr key={r.id} data-testid="campaign-recipient">
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>
                      <Anchor component={Link} to={`/contacts/${r.contactId}`} size="sm">
                        {r.name ?? t('unnamed')}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{t(`state.${r.state}`)}</Table.Td>
                    <Table.Td>{r.variant}</Table.Td>
                    <Table.Td>{r.language ? t(`lang.${r.language}`) : '—'}</Table.Td>
                    <Table.Td>{r.sentAt ? formatDateTime(r.sentAt) : '—'}</Table.Td>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>
                      {r.skipped ? t(`reason.${r.skipped}`) : (r.reason ?? '')}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager offset={offset} limit={LIMIT} total={query.data.total} onOffset={setOffset} />
        </>
      )}
    </Section>
  );
}

export default function CampaignReportPage() {
  const t = useCampaignT();
  const { formatPercent } = useI18n();
  const { id } = useParams();
  const campaign = useQuery({
    queryKey: ['campaigns', id],
    queryFn: () => getCampaign(id!),
    refetchInterval: (q) => (isLive(q.state.data) ? 4000 : false),
  });
  const live = isLive(campaign.data);
  const report = useQuery({
    queryKey: ['campaigns', id, 'report'],
    queryFn: () => campaignReport(id!),
    refetchInterval: live ? 4000 : false,
  });
  if (campaign.isPending || report.isPending) return <LoadingState />;
  if (campaign.isError)
    return <ErrorState error={campaign.error} onRetry={() => void campaign.refetch()} />;
  if (report.isError)
    return <ErrorState error={report.error} onRetry={() => void report.refetch()} />;
  const c = campaign.data;
  const r = report.data;
  const metric = t(`figure.${r.metric}` as CampaignKey);
  return (
    <Stack gap="sm">
      <Group gap="md" wrap="wrap">
        <Anchor component={Link} to="/campaigns" size="sm">
          ← {t('back')}
        </Anchor>
        <Anchor component={Link} to={`/campaigns/${c.id}`} size="sm">
          {c.name}
        </Anchor>
      </Group>
      <PageHeader title={t('reportTitle', { name: c.name })}>
        <StatusBadge status={c.status} />
        <Button
          component="a"
          href={reportCsvUrl(c.id)}
          download
          variant="default"
          data-testid="campaign-csv"
        >
          {t('csv')}
        </Button>
      </PageHeader>
      {live && (
        <Text size="sm" c="dimmed">
          {t('refreshing')}
        </Text>
      )}
      <Section title={t('funnel')} testId="campaign-funnel">
        <SimpleGrid cols={{ base: 2, xs: 3, md: 9 }} spacing="xs">
          {[...FUNNEL, ...SIDE].map((k) => (
            <Paper key={k} p="xs" radius="sm" bg="var(--mantine-color-gray-0)" data-figure={k}>
              <Text size="xs" c="dimmed">
                {t(`figure.${k}`)}
              </Text>
              <Text fw={700} fz="lg" data-testid={`funnel-${k}`}>
                {k === 'queued' ? r.funnel.recipients : r.funnel[k]}
              </Text>
            </Paper>
          ))}
        </SimpleGrid>
        <BarChart
          h={220}
          aria-label={t('funnelChart')}
          data={FUNNEL.map((k) => ({ step: t(`figure.${k}`), count: stepValue(r.funnel, k) }))}
          dataKey="step"
          series={[{ name: 'count', label: t('funnelChart'), color: 'teal.6' }]}
          tickLine="none"
          gridAxis="y"
        />
      </Section>
      <Section title={t('byVariant')} testId="campaign-variants">
        {r.winner ? (
          <Text fw={700} c="green.8" data-testid="campaign-winner">
            {t('winner', {
              variant: r.winner.variant,
              rate: formatPercent(r.winner.rate),
              metric: metric.toLowerCase(),
            })}
          </Text>
        ) : (
          r.variants.length > 1 && (
            <Text size="sm" c="dimmed">
              {t('noWinner')}
            </Text>
          )
        )}
        <Table.ScrollContainer minWidth={480}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('variant')}</Table.Th>
                <Table.Th ta="right">{t('share')}</Table.Th>
                <Table.Th ta="right">{t('figure.sent')}</Table.Th>
                <Table.Th ta="right">{metric}</Table.Th>
                <Table.Th ta="right">{t('rate')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.variants.map((v) => (
                <Table.Tr key={v.name}>
                  <Table.Td>{v.name}</Table.Td>
                  <Table.Td ta="right">{v.weight} %</Table.Td>
                  <Table.Td ta="right">{v.funnel.sent}</Table.Td>
                  <Table.Td ta="right">{v.funnel[r.metric]}</Table.Td>
                  <Table.Td ta="right">{v.rate === null ? '—' : formatPercent(v.rate)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Section>
      <Stack gap="sm">
        <Section title={t('byChannel')}>
          <FunnelTable
            label={t('channel')}
            rows={r.byChannel.map((x) => ({
              key: t(`channel.${x.channel}` as CampaignKey),
              funnel: x.funnel,
            }))}
          />
        </Section>
        <Section title={t('byLanguage')}>
          <FunnelTable
            label={t('language')}
            rows={r.byLanguage.map((x) => ({
              key: t(`lang.${x.language}` as CampaignKey),
              funnel: x.funnel,
            }))}
          />
        </Section>
      </Stack>
      <Recipients id={c.id} live={live} />
    </Stack>
  );
}
