/**
 * The side panel of a conversation: the customer (with "Email transcript to customer"), the flow
 * state, the escalation timeline.
 */
import { Anchor, Badge, Code, Group, Paper, Stack, Text, Timeline, Title } from '@mantine/core';
import { FrustratedBadge, SentimentSparkline } from '../../components/sentiment';
import { useInsightT } from '../contacts/insight-texts';
import { Link } from 'react-router';
import type { ConversationDetail } from '../../api/types';
import { StatusBadge } from '../../components/badges';
import { Truncated } from '../../components/truncated';
import { useI18n } from '../../i18n/i18n';
import { useCustomerLabel } from './customer-label';
import { reasonLabel, useInboxT } from './texts';
import { TranscriptEmailButton } from './TranscriptEmailButton';

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-label={title}>
      <Title order={2} size="h5" mb="xs">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function SentimentSection({ c }: { c: ConversationDetail }) {
  const ti = useInsightT();
  return (
    <Section title={ti('trendTitle')}>
      <Stack gap={6} data-testid="conversation-sentiment">
        {c.sentiment.frustratedAt && (
          <Group gap="xs">
            <FrustratedBadge />
          </Group>
        )}
        {c.sentiment.trend.length === 0 ? (
          <Text size="sm" c="dimmed">
            {ti('noSentiment')}
          </Text>
        ) : (
          <SentimentSparkline sentiment={c.sentiment} width={160} />
        )}
        <Text size="xs" c="dimmed">
          {ti('trendHelp')}
        </Text>
      </Stack>
    </Section>
  );
}

export function ConversationSide({ c }: { c: ConversationDetail }) {
  const { t, formatDateTime } = useI18n();
  const ti = useInboxT();
  const name = useCustomerLabel()(c.contact.name, c.channel);
  const byLabel = (by: string, byName: string | null) =>
    by === 'customer' ? ti('byCustomer') : (byName ?? by);
  const slots = c.flow ? Object.entries(c.flow.slots ?? {}) : [];
  return (
    <Stack gap="sm">
      <Section title={t('conversation.contact')}>
        <Stack gap={4}>
          <Truncated fw={600}>{name}</Truncated>
          {[...c.contact.emails, ...c.contact.phones].map((v) => (
            <Truncated key={v} size="sm" c="dimmed">
              {v}
            </Truncated>
          ))}
          <TranscriptEmailButton c={c} />
          {c.contact.tags.length > 0 && (
            <Group gap={4}>
              {c.contact.tags.map((tag) => (
                <Badge key={tag} size="xs" variant="light" tt="none">
                  {tag}
                </Badge>
              ))}
            </Group>
          )}
          <Anchor
            component={Link}
            to={`/contacts/${c.contact.id}`}
            size="sm"
            data-testid="contact-link"
          >
            {t('conversation.viewContact')}
          </Anchor>
        </Stack>
      </Section>

      <SentimentSection c={c} />

      <Section title={t('conversation.flow')}>
        {c.flow ? (
          <Stack gap={4} data-testid="flow-state">
            <Code>{c.flow.name}</Code>
            {c.flow.slot && (
              <Text size="sm">{t('conversation.flowSlot', { slot: c.flow.slot })}</Text>
            )}
            {slots.map(([k, v]) => (
              <Group key={k} gap="xs" wrap="nowrap">
                <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                  {k}
                </Text>
                <Truncated size="xs">{typeof v === 'string' ? v : JSON.stringify(v)}</Truncated>
              </Group>
            ))}
          </Stack>
        ) : c.suspendedFlow ? (
          <Stack gap={4} data-testid="flow-state">
            <Code>{c.suspendedFlow.name}</Code>
            {c.suspendedFlow.slot && (
              <Text size="sm">{t('conversation.flowSlot', { slot: c.suspendedFlow.slot })}</Text>
            )}
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            {t('conversation.flowNone')}
          </Text>
        )}
      </Section>

      <Section title={t('conversation.timeline')}>
        {c.statusHistory.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('conversation.timelineEmpty')}
          </Text>
        ) : (
          <Timeline bulletSize={14} lineWidth={2} data-testid="escalation-timeline">
            {c.statusHistory.map((h, i) => (
              <Timeline.Item key={i} title={<StatusBadge status={h.status} />}>
                <Text size="xs" c="dimmed">
                  {formatDateTime(h.at)}
                </Text>
                {h.by && (
                  <Truncated size="xs" data-testid="timeline-by">
                    {ti('by', { name: byLabel(h.by, h.byName) })}
                  </Truncated>
                )}
                {h.reason && (
                  <Text size="xs" c="dimmed" data-testid="timeline-reason">
                    {t('conversation.reason', { reason: reasonLabel(ti, h.reason) })}
                  </Text>
                )}
              </Timeline.Item>
            ))}
          </Timeline>
        )}
      </Section>
    </Stack>
  );
}
