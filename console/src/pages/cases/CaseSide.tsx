/** The side of a case page: its details, the customer, the SLA targets, CSAT and the timeline. */
import { Anchor, Group, Paper, Stack, Text, Timeline, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ChannelBadge } from '../../components/badges';
import { Truncated } from '../../components/truncated';
import { useI18n } from '../../i18n/i18n';
import { useCasesT, type CasesKey, type CasesT } from './texts';
import { useCustomerLabel } from '../conversations/customer-label';
import type { CaseDetail, SlaTarget } from './types';

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-labelledby={id}>
      <Title order={2} size="h5" mb="xs" id={id}>
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function Field({ label, value }: { label: string; value: string | null }) {
  if (!value) return null;
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {value}
      </Text>
    </Stack>
  );
}

function TargetLine({ label, target }: { label: string; target: SlaTarget }) {
  const t = useCasesT();
  const { formatDateTime } = useI18n();
  const state = target.metAt
    ? target.state === 'breached'
      ? t('sla.metLate')
      : t('sla.met')
    : t(`sla.${target.state}`);
  const color =
    target.state === 'breached' ? 'red.8' : target.state === 'at_risk' ? 'yellow.9' : 'green.8';
  return (
    <Group justify="space-between" gap="xs" wrap="wrap" data-testid="sla-target">
      <Text size="sm">{label}</Text>
      <Stack gap={0} align="flex-end">
        <Text size="sm" fw={600} c={color}>
          {state}
        </Text>
        <Text size="xs" c="dimmed">
          {target.metAt
            ? t('metAt', { date: formatDateTime(target.metAt) })
            : t('due', { date: formatDateTime(target.dueAt) })}
        </Text>
      </Stack>
    </Group>
  );
}

const EVENT_KEYS = new Set([
  'opened',
  'status',
  'priority',
  'assignee',
  'note',
  'sla_breached',
  'customer_notified',
  'customer_mailed',
  'customer_mail_failed',
  'csat',
]);

function eventText(t: CasesT, e: CaseDetail['timeline'][number]): string {
  if (!EVENT_KEYS.has(e.kind)) return e.kind;
  const label = (prefix: 'status' | 'priority', v: string | null) =>
    v ? t(`${prefix}.${v}` as CasesKey) : '—';
  if (e.kind === 'customer_mailed' || e.kind === 'customer_mail_failed')
    return t(`event.${e.kind}`, { to: label('status', e.to) });
  if (e.kind === 'status' || e.kind === 'priority')
    return t(`event.${e.kind}`, { from: label(e.kind, e.from), to: label(e.kind, e.to) });
  if (e.kind === 'assignee')
    return e.to ? t('event.assignee', { to: e.to }) : t('event.unassigned');
  if (e.kind === 'sla_breached')
    return t('event.sla_breached', {
      to: e.to === 'first_response' ? t('firstResponse') : t('resolution'),
    });
  return t(`event.${e.kind}` as CasesKey, { to: e.to ?? '' });
}

export function CaseSide({ c }: { c: CaseDetail }) {
  const t = useCasesT();
  const customerLabel = useCustomerLabel();
  const { formatDateTime } = useI18n();
  return (
    <Stack gap="sm">
      <Section id="case-details" title={t('details')}>
        <Stack gap={6}>
          <Group gap={4}>
            <Text size="sm" c="dimmed">
              {t('type')}:
            </Text>
            <Text size="sm">{t(`type.${c.type}` as CasesKey)}</Text>
            {c.channel && <ChannelBadge channel={c.channel} />}
          </Group>
          <Field label={t('description')} value={c.description} />
          <Field label={t('email')} value={c.email} />
          <Field label={t('phone')} value={c.phone} />
          <Field label={t('preferredTime')} value={c.preferredTime} />
          <Field label={t('opened')} value={formatDateTime(c.createdAt)} />
        </Stack>
      </Section>

      <Section id="case-customer" title={t('customerCard')}>
        {c.customer ? (
          <Stack gap={4}>
            <Truncated fw={600}>{customerLabel(c.customer.name, c.channel)}</Truncated>
            {[...c.customer.emails, ...c.customer.phones].map((v) => (
              <Truncated key={v} size="sm" c="dimmed">
                {v}
              </Truncated>
            ))}
            <Anchor component={Link} to={`/contacts/${c.customer.id}`} size="sm">
              {t('openContact')}
            </Anchor>
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            —
          </Text>
        )}
      </Section>

      <Section id="case-sla" title={t('sla')}>
        <Stack gap="xs" data-testid="case-sla">
          <TargetLine label={t('firstResponse')} target={c.sla.firstResponse} />
          <TargetLine label={t('resolution')} target={c.sla.resolution} />
        </Stack>
      </Section>

      <Section id="case-csat" title={t('csat')}>
        <Text size="sm" data-testid="case-csat">
          {c.csat?.rating
            ? `${'★'.repeat(c.csat.rating)}${'☆'.repeat(5 - c.csat.rating)} ${t('csatRating', { rating: c.csat.rating })}`
            : c.csat?.requestedAt
              ? t('csatAsked', { date: formatDateTime(c.csat.requestedAt) })
              : t('csatNone')}
        </Text>
      </Section>

      <Section id="case-timeline" title={t('timeline')}>
        <Timeline bulletSize={12} lineWidth={2} data-testid="case-timeline">
          {c.timeline.map((e, i) => (
            <Timeline.Item key={i} title={<Text size="sm">{eventText(t, e)}</Text>}>
              <Text size="xs" c="dimmed">
                {formatDateTime(e.at)}
                {e.by ? ` · ${t('by', { name: e.by.name ?? e.by.id })}` : ''}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      </Section>
    </Stack>
  );
}
