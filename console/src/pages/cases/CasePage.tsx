/** /console/cases/:id: status/priority/assignee controls, notes, transcript; side: SLA, CSAT, timeline. */
import { Anchor, Grid, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { DetailLoader } from '../../components/detail-loader';
import { usePollInterval } from '../../shell/live';
import { Transcript } from '../conversations/Transcript';
import { getCase } from './api';
import { CaseStatusBadge, PriorityBadge, SlaBadge } from './CaseBadges';
import { CaseControls, CaseNotes } from './CaseControls';
import { CaseReply } from './CaseReply';
import { CaseSide } from './CaseSide';
import { caseTitle, useCasesT } from './texts';

export default function CasePage() {
  const { id = '' } = useParams();
  const t = useCasesT();
  const refetchInterval = usePollInterval();
  const query = useQuery({
    queryKey: ['case', id],
    queryFn: () => getCase(id),
    refetchInterval,
  });
  return (
    <DetailLoader query={query} backTo="/cases" backLabel={t('back')}>
      {(c, back) => (
        <Stack gap="sm">
          {back}
          <PageHeader title={`${c.number} · ${caseTitle(c) ?? t('noSubject')}`}>
            <Group gap={6} data-testid="case-header" data-status={c.status}>
              <CaseStatusBadge status={c.status} />
              <PriorityBadge priority={c.priority} />
              <SlaBadge c={c} />
            </Group>
          </PageHeader>
          <Grid gutter="md">
            <Grid.Col span={{ base: 12, md: 8 }}>
              <Stack gap="md">
                <CaseControls key={c.updatedAt} c={c} />
                <CaseNotes c={c} />
                <Paper
                  withBorder
                  p="sm"
                  radius="md"
                  component="section"
                  aria-labelledby="case-conversation"
                >
                  <Group justify="space-between" mb="xs" wrap="wrap">
                    <Title order={2} size="h5" id="case-conversation">
                      {t('conversation')}
                    </Title>
                    {c.conversation && (
                      <Anchor component={Link} to={`/conversations/${c.conversation.id}`} size="sm">
                        {t('openConversation')}
                      </Anchor>
                    )}
                  </Group>
                  {c.conversation ? (
                    <Transcript messages={c.messages} />
                  ) : (
                    <Text size="sm" c="dimmed">
                      {t('noConversation')}
                    </Text>
                  )}
                </Paper>
                <CaseReply c={c} />
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <CaseSide c={c} />
            </Grid.Col>
          </Grid>
        </Stack>
      )}
    </DetailLoader>
  );
}
