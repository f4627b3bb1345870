/**
 * The lead page's history: the activity timeline (created, then each staff change with who and
 * when) and the transcript of the conversation that produced the lead. Customer text is shown as
 * text (React escapes it), never as HTML.
 */
import { Badge, Group, Stack, Text, Timeline } from '@mantine/core';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/en';
import { en } from '../../i18n/en';
import { useLeadsT, type LeadsKey } from './texts';
import type { LeadDetail, LeadOwner } from './types';

type Event = LeadDetail['timeline'][number];

function useValueText(owners: LeadOwner[]) {
  const { t: tc } = useI18n();
  const t = useLeadsT();
  return (field: string, value: unknown): string => {
    if (value === null || value === undefined || value === '') return '—';
    if (field === 'status' && `lead.${String(value)}` in en)
      return tc(`lead.${value}` as MessageKey);
    if (field === 'owner') return owners.find((o) => o.id === value)?.name ?? String(value);
    if (Array.isArray(value)) return value.length ? value.join(', ') : t('noTags');
    return String(value);
  };
}

function EventText({ e, owners }: { e: Event; owners: LeadOwner[] }) {
  const t = useLeadsT();
  const valueText = useValueText(owners);
  const who = e.actorName ?? e.actor;
  if (e.action === 'lead.created') return <>{t('event.created')}</>;
  if (e.action !== 'lead.update') return <>{t('event.other', { who, action: e.action })}</>;
  const fields = Object.keys(e.after ?? {});
  const changes = fields
    .map((f) => {
      const label = (['status', 'owner', 'notes', 'tags'] as string[]).includes(f)
        ? t(f as LeadsKey)
        : f;
      // Personal data (notes) is masked in the audit log: say that it changed, not to what.
      if (e.before?.[f] === '***' || e.after?.[f] === '***') return label;
      return t('change', {
        field: label,
        before: valueText(f, e.before?.[f]),
        after: valueText(f, e.after?.[f]),
      });
    })
    .join('; ');
  return <>{t('event.update', { who, changes })}</>;
}

export function LeadTimeline({ events, owners }: { events: Event[]; owners: LeadOwner[] }) {
  const { formatDateTime } = useI18n();
  return (
    <Timeline bulletSize={12} lineWidth={2} data-testid="lead-timeline">
      {events.map((e, i) => (
        <Timeline.Item key={`${e.at}-${i}`} data-testid="timeline-event" data-action={e.action}>
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            <EventText e={e} owners={owners} />
          </Text>
          <Text size="xs" c="dimmed">
            {formatDateTime(e.at)}
          </Text>
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

export function LeadTranscript({ messages }: { messages: LeadDetail['transcript'] }) {
  const { formatDateTime } = useI18n();
  const t = useLeadsT();
  if (messages.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('noTranscript')}
      </Text>
    );
  return (
    <Stack gap="xs" component="ol" p={0} m={0} style={{ listStyle: 'none' }}>
      {messages.map((m) => {
        const key = `author.${m.author}` as LeadsKey;
        return (
          <Stack
            key={m.id}
            component="li"
            gap={2}
            data-testid="lead-transcript-message"
            data-direction={m.direction}
            style={{ alignSelf: m.direction === 'in' ? 'flex-start' : 'flex-end', maxWidth: '85%' }}
          >
            <Group gap={6}>
              <Badge
                size="xs"
                variant="light"
                tt="none"
                color={m.direction === 'in' ? 'blue' : 'gray'}
              >
                {key in
                { 'author.customer': 1, 'author.bot': 1, 'author.staff': 1, 'author.system': 1 }
                  ? t(key)
                  : m.author}
              </Badge>
              <Text size="xs" c="dimmed">
                {formatDateTime(m.at)}
              </Text>
            </Group>
            <Text size="sm" className="transcript-text" data-testid="lead-message-text">
              {m.text}
            </Text>
          </Stack>
        );
      })}
    </Stack>
  );
}
