/**
 * /console/campaigns (issue 21.7): every campaign with its channel, status and headline figures
 * (sent, replied, clicked, converted, unsubscribed), each linking to its page and report. "New
 * campaign" only for the roles the server lets write (ACCESS.campaigns.write).
 */
import { Anchor, Badge, Button, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ACCESS } from '../../../../src/kernel/roles';
import { roleAllows } from '../../auth/session';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { useNarrow } from '../../components/use-narrow';
import { useCurrentUser } from '../../shell/current-user';
import { OngoingSection } from './OngoingSection';
import { listCampaigns, type CampaignStatus, type CampaignView } from './api';
import { useCampaignT } from './texts';

export const HEADLINE = ['sent', 'replied', 'clicked', 'converted', 'unsubscribed'] as const;

const STATUS_COLOR: Record<CampaignStatus, string> = {
  draft: 'gray',
  scheduled: 'blue',
  sending: 'teal',
  paused: 'yellow',
  cancelled: 'red',
  done: 'green',
};

export function StatusBadge({ status }: { status: CampaignStatus }) {
  const t = useCampaignT();
  return (
    <Badge
      variant="light"
      color={STATUS_COLOR[status]}
      data-testid="campaign-status"
      // Whole word in a narrow table column ("BORRADOR" was cut to "BORRAD…").
      style={{ minWidth: 'max-content' }}
    >
      {t(`status.${status}`)}
    </Badge>
  );
}

export const canWriteCampaigns = (role: Parameters<typeof roleAllows>[0]) =>
  roleAllows(role, ACCESS.campaigns.write);

/** A campaign as a card, on phones. */
function CampaignCard({ c }: { c: CampaignView }) {
  const t = useCampaignT();
  return (
    <Paper withBorder p="sm" radius="md" data-testid="campaign-row">
      <Stack gap={6}>
        <Anchor
          component={Link}
          to={`/campaigns/${c.id}`}
          fw={600}
          style={{ overflowWrap: 'anywhere' }}
        >
          {c.name}
        </Anchor>
        <Group gap="xs" wrap="wrap">
          <Text size="sm">{t(`channel.${c.channel}`)}</Text>
          <StatusBadge status={c.status} />
          {c.status !== 'draft' && (
            <Anchor component={Link} to={`/campaigns/${c.id}/report`} size="sm">
              {t('report')}
            </Anchor>
          )}
        </Group>
        <Group gap="md" wrap="wrap">
          {HEADLINE.map((k) => (
            <Text key={k} size="sm" data-figure={k}>
              <b>{c.counts[k] ?? 0}</b> {t(`figure.${k}`)}
            </Text>
          ))}
        </Group>
      </Stack>
    </Paper>
  );
}

export default function CampaignsPage() {
  const t = useCampaignT();
  const user = useCurrentUser();
  const canWrite = canWriteCampaigns(user.role);
  const narrow = useNarrow();
  const query = useQuery({ queryKey: ['campaigns'], queryFn: listCampaigns });
  return (
    <Stack gap="sm">
      <PageHeader title={t('title')}>
        {canWrite && (
          <Button component={Link} to="/campaigns/new" data-testid="campaign-add">
            {t('add')}
          </Button>
        )}
      </PageHeader>
      <Text size="sm" c="dimmed">
        {t('intro')}
      </Text>
      {query.isPending ? (
        <LoadingState />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.items.length === 0 ? (
        <EmptyState title={t('empty')} hint={canWrite ? t('emptyHint') : t('emptyViewer')} />
      ) : narrow ? (
        query.data.items.map((c) => <CampaignCard key={c.id} c={c} />)
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover data-testid="campaigns-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('name')}</Table.Th>
                <Table.Th>{t('channel')}</Table.Th>
                <Table.Th>{t('status')}</Table.Th>
                {HEADLINE.map((k) => (
                  <Table.Th key={k} ta="right">
                    {t(`figure.${k}`)}
                  </Table.Th>
                ))}
                <Table.Th>
                  <span className="visually-hidden">{t('report')}</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {query.data.items.map((c) => (
                <Table.Tr key={c.id} data-testid="campaign-row">
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>
                    <Anchor component={Link} to={`/campaigns/${c.id}`} fw={600}>
                      {c.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{t(`channel.${c.channel}`)}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={c.status} />
                  </Table.Td>
                  {HEADLINE.map((k) => (
                    <Table.Td key={k} ta="right" data-figure={k}>
                      {c.counts[k] ?? 0}
                    </Table.Td>
                  ))}
                  <Table.Td>
                    {c.status !== 'draft' && (
                      <Group gap={4} wrap="nowrap">
                        <Anchor
                          component={Link}
                          to={`/campaigns/${c.id}/report`}
                          size="sm"
                          aria-label={`${t('report')}: ${c.name}`}
                        >
                          {t('report')}
                        </Anchor>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <OngoingSection canWrite={canWrite} />
    </Stack>
  );
}
