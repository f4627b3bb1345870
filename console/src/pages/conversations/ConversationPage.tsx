/**
 * /console/conversations/:id: the chat (transcript newest at the bottom, composer pinned under
 * it) with the customer panel beside it; on a phone the panel folds above the chat.
 */
import { Button, Collapse, Grid, Group, Stack } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useParams } from 'react-router';
import { ChannelBadge, LanguageBadge, StatusBadge } from '../../components/badges';
import { PageHeader } from '../../components/page-header';
import { DetailLoader } from '../../components/detail-loader';
import { useNarrow } from '../../components/use-narrow';
import { useI18n } from '../../i18n/i18n';
import type { ConversationDetail } from '../../api/types';
import { usePollInterval } from '../../shell/live';
import { getConversation, markSeen } from './api';
import { ChatPane } from './ChatPane';
import { ConversationSide } from './ConversationSide';
import { useCustomerLabel } from './customer-label';
import { useInboxT } from './texts';
import { InboxShortcuts } from './shortcuts';

/** Beside the chat on a wide screen; folded (opened on demand) above it on a phone. */
function SidePanel({ c }: { c: ConversationDetail }) {
  const narrow = useNarrow();
  const ti = useInboxT();
  const [opened, { toggle }] = useDisclosure(false);
  if (!narrow) return <ConversationSide c={c} />;
  return (
    <Stack gap="xs">
      <Button
        variant="light"
        size="xs"
        onClick={toggle}
        aria-expanded={opened}
        data-testid="customer-panel-toggle"
      >
        {opened ? ti('hideDetails') : ti('details')}
      </Button>
      <Collapse in={opened}>
        <ConversationSide c={c} />
      </Collapse>
    </Stack>
  );
}

/** Tells the server this user saw the conversation up to its newest message (unread markers). */
function useMarkSeen(c: ConversationDetail | undefined) {
  const queryClient = useQueryClient();
  const key = c ? `${c.id}:${c.lastMessageAt ?? ''}` : '';
  useEffect(() => {
    if (!c) return;
    void markSeen(c.id)
      .then(() => queryClient.invalidateQueries({ queryKey: ['conversations'] }))
      .catch(() => undefined);
    // Once per conversation and newest message, not on every render.
  }, [key]);
}

export default function ConversationPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const label = useCustomerLabel();
  const narrow = useNarrow();
  const refetchInterval = usePollInterval();
  const query = useQuery({
    queryKey: ['conversation', id],
    queryFn: () => getConversation(id),
    refetchInterval,
  });
  useMarkSeen(query.data);
  return (
    <DetailLoader query={query} backTo="/conversations" backLabel={t('conversations.title')}>
      {(c, back) => (
        <Stack gap="xs">
          <InboxShortcuts conversationId={c.id} />
          {back}
          <PageHeader title={label(c.contact.name, c.channel)}>
            <Group gap={6} data-testid="conversation-status" data-status={c.status}>
              <ChannelBadge channel={c.channel} />
              <StatusBadge status={c.status} />
              <LanguageBadge language={c.locale} />
            </Group>
          </PageHeader>
          <Grid gutter="md">
            {narrow && (
              <Grid.Col span={12}>
                <SidePanel c={c} />
              </Grid.Col>
            )}
            <Grid.Col span={{ base: 12, md: 8 }}>
              <ChatPane c={c} />
            </Grid.Col>
            {!narrow && (
              <Grid.Col span={{ base: 12, md: 4 }}>
                <SidePanel c={c} />
              </Grid.Col>
            )}
          </Grid>
        </Stack>
      )}
    </DetailLoader>
  );
}
