/** /console/conversations/:id: transcript, flow state, escalation timeline, agent actions. */
import { Grid, Group, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { ChannelBadge, LanguageBadge, StatusBadge } from '../../components/badges';
import { PageHeader } from '../../components/page-header';
import { DetailLoader } from '../../components/detail-loader';
import { useI18n } from '../../i18n/i18n';
import { usePollInterval } from '../../shell/live';
import { getConversation } from './api';
import { AgentActions } from './AgentActions';
import { ConversationSide } from './ConversationSide';
import { Transcript } from './Transcript';

export default function ConversationPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const refetchInterval = usePollInterval();
  const query = useQuery({
    queryKey: ['conversation', id],
    queryFn: () => getConversation(id),
    refetchInterval,
  });
  return (
    <DetailLoader query={query} backTo="/conversations" backLabel={t('conversations.title')}>
      {(c, back) => (
        <Stack gap="sm">
          {back}
          <PageHeader title={c.contact.name || t('conversations.unnamed')}>
            <Group gap={6} data-testid="conversation-status" data-status={c.status}>
              <ChannelBadge channel={c.channel} />
              <StatusBadge status={c.status} />
              <LanguageBadge language={c.locale} />
            </Group>
          </PageHeader>
          <Grid gutter="md">
            <Grid.Col span={{ base: 12, md: 8 }}>
              <Stack gap="md">
                <AgentActions c={c} />
                <Transcript messages={c.messages} />
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <ConversationSide c={c} />
            </Grid.Col>
          </Grid>
        </Stack>
      )}
    </DetailLoader>
  );
}
