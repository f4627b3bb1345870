/**
 * /console/leads/:id — one lead: its fields and score (with the reasons), consent, links to the
 * customer and the conversation, the editor (marketers, admins; read-only for viewers), the
 * activity timeline, the transcript, and the customer's other leads and cases.
 */
import { Anchor, Badge, Code, Grid, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { ChannelBadge, ValueBadge } from '../../components/badges';
import { PageHeader } from '../../components/page-header';
import { DetailLoader } from '../../components/detail-loader';
import { Truncated } from '../../components/truncated';
import { useI18n } from '../../i18n/i18n';
import { useCurrentUser } from '../../shell/current-user';
import { getLead } from './api';
import { ScoreBadge } from './LeadCard';
import { LeadTimeline, LeadTranscript } from './LeadActivity';
import { LeadEditor } from './LeadEditor';
import { CustomerValueDetail } from './CustomerValue';
import { PropensityDetail } from './Propensity';
import { useLeadsT, type LeadsKey } from './texts';
import { useOwners } from './use-lead-lists';
import type { Lead, LeadDetail, LeadOwner } from './types';

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
    <Paper
      withBorder
      p="sm"
      radius="md"
      component="section"
      aria-label={title}
      data-testid={testId}
    >
      <Title order={2} size="h5" mb="xs">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={0} style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      {typeof children === 'string' ? <Truncated size="sm">{children}</Truncated> : children}
    </Stack>
  );
}

function ScoreReasons({ lead }: { lead: Lead }) {
  const t = useLeadsT();
  const { language } = useI18n();
  if (!lead.scoreReasons) return null;
  if (lead.scoreReasons.length === 0)
    return (
      <Text size="xs" c="dimmed">
        {t('noReasons')}
      </Text>
    );
  return (
    <Stack
      gap={2}
      component="ul"
      p={0}
      m={0}
      style={{ listStyle: 'none' }}
      aria-label={t('scoreReasons')}
      data-testid="score-reasons"
    >
      {lead.scoreReasons.map((r) => (
        <Group key={r.rule} component="li" gap={6} wrap="nowrap" justify="space-between">
          <Truncated size="xs">{r.label?.[language] ?? r.label?.en ?? r.rule}</Truncated>
          <Text size="xs" fw={600} style={{ whiteSpace: 'nowrap' }}>
            {t('points', { points: r.points > 0 ? `+${r.points}` : r.points })}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}

function Details({ d }: { d: LeadDetail }) {
  const t = useLeadsT();
  const { formatDateTime } = useI18n();
  const l = d.lead;
  return (
    <Section title={t('details')} testId="lead-details">
      <Stack gap="xs">
        <Group gap={6} wrap="wrap">
          <ValueBadge prefix="lead" value={l.status} color="violet" />
          <ChannelBadge channel={l.channel} />
        </Group>
        {l.score !== undefined && (
          <Field label={t('score')}>
            <Stack gap={4}>
              <Group>
                <ScoreBadge score={l.score} />
              </Group>
              <ScoreReasons lead={l} />
            </Stack>
          </Field>
        )}
        {['new', 'contacted', 'qualified'].includes(l.status) && (
          <Field label={t('propensity')}>
            <PropensityDetail lead={l} />
          </Field>
        )}
        {l.contactId && (
          <Field label={t('customerValue')}>
            <CustomerValueDetail lead={l} />
          </Field>
        )}
        {(['email', 'phone', 'company', 'interest'] as const).map(
          (f) =>
            l[f] && (
              <Field key={f} label={t(f as LeadsKey)}>
                {l[f]!}
              </Field>
            ),
        )}
        <Field label={t('consent')}>
          {d.consent?.granted ? t('consentGranted') : t('consentWithheld')}
        </Field>
        <Field label={t('created')}>{formatDateTime(l.createdAt)}</Field>
        <Field label={t('updated')}>{formatDateTime(l.updatedAt)}</Field>
        <Group gap="md" wrap="wrap">
          {l.contactId && (
            <Anchor
              component={Link}
              to={`/contacts/${l.contactId}`}
              size="sm"
              data-testid="lead-contact-link"
            >
              {t('contact')}
            </Anchor>
          )}
          {l.conversationId && (
            <Anchor
              component={Link}
              to={`/conversations/${l.conversationId}`}
              size="sm"
              data-testid="lead-conversation-link"
            >
              {t('conversation')}
            </Anchor>
          )}
        </Group>
      </Stack>
    </Section>
  );
}

function ReadOnlyWork({ lead, owners }: { lead: Lead; owners: LeadOwner[] }) {
  const t = useLeadsT();
  return (
    <Stack gap="xs" data-testid="lead-read-only">
      <Field label={t('owner')}>
        {(lead.owner && owners.find((o) => o.id === lead.owner)?.name) || t('noOwner')}
      </Field>
      <Field label={t('tags')}>
        {lead.tags.length ? (
          <Group gap={4} wrap="wrap">
            {lead.tags.map((tag) => (
              <Badge key={tag} size="sm" variant="default" tt="none" style={{ maxWidth: '100%' }}>
                {tag}
              </Badge>
            ))}
          </Group>
        ) : (
          t('noTags')
        )}
      </Field>
      <Field label={t('notes')}>
        <Text size="sm" className="transcript-text">
          {lead.notes || t('noNotes')}
        </Text>
      </Field>
    </Stack>
  );
}

function Related({ d }: { d: LeadDetail }) {
  const t = useLeadsT();
  const { formatDate } = useI18n();
  return (
    <>
      <Section title={t('otherLeads')} testId="lead-other-leads">
        {d.otherLeads.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('none')}
          </Text>
        ) : (
          <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
            {d.otherLeads.map((o) => (
              <Group component="li" key={o.id} gap={6} wrap="nowrap">
                <ValueBadge prefix="lead" value={o.status} color="violet" />
                <Anchor component={Link} to={`/leads/${o.id}`} size="sm" style={{ minWidth: 0 }}>
                  <Truncated size="sm">
                    {o.interest || o.company || o.name || t('unnamed')}
                  </Truncated>
                </Anchor>
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {formatDate(o.createdAt)}
                </Text>
              </Group>
            ))}
          </Stack>
        )}
      </Section>
      <Section title={t('cases')} testId="lead-cases">
        {d.cases.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('none')}
          </Text>
        ) : (
          <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
            {d.cases.map((c) => (
              <Stack component="li" key={c.id} gap={2}>
                <Group gap={4} wrap="wrap">
                  <Code>{c.number}</Code>
                  <ValueBadge prefix="case" value={c.status} color="orange" />
                  <Text size="xs" c="dimmed">
                    {formatDate(c.createdAt)}
                  </Text>
                </Group>
                <Truncated size="sm">{c.subject ?? c.type}</Truncated>
              </Stack>
            ))}
          </Stack>
        )}
      </Section>
    </>
  );
}

export default function LeadPage() {
  const { id = '' } = useParams();
  const t = useLeadsT();
  const user = useCurrentUser();
  const editable = user.role === 'admin' || user.role === 'marketer';
  const query = useQuery({ queryKey: ['leads', 'detail', id], queryFn: () => getLead(id) });
  const { owners: ownerList } = useOwners();
  return (
    <DetailLoader query={query} backTo="/leads" backLabel={t('back')}>
      {(d, back) => (
        <Stack gap="sm">
          {back}
          <PageHeader title={d.lead.name || t('unnamed')} />
          <Grid gutter="md">
            <Grid.Col span={{ base: 12, md: 4 }}>
              <Stack gap="sm">
                <Details d={d} />
                <Section title={t('edit')}>
                  {editable ? (
                    <LeadEditor
                      key={d.lead.updatedAt ?? d.lead.id}
                      lead={d.lead}
                      owners={ownerList}
                    />
                  ) : (
                    <ReadOnlyWork lead={d.lead} owners={ownerList} />
                  )}
                </Section>
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 8 }}>
              <Stack gap="sm">
                <Section title={t('timeline')}>
                  <LeadTimeline events={d.timeline} owners={ownerList} />
                </Section>
                <Section title={t('transcript')} testId="lead-transcript">
                  <LeadTranscript messages={d.transcript} />
                </Section>
                <Related d={d} />
              </Stack>
            </Grid.Col>
          </Grid>
        </Stack>
      )}
    </DetailLoader>
  );
}
