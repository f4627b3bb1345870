/**
 * /console/contacts/:id — the single customer view: every channel identity, conversations,
 * leads, cases, consent, tags and merge history; the engagement summary, each conversation's
 * sentiment, staff notes and custom fields, "Write to this contact" (agents, admins), "Edit
 * details" (marketers, agents), and (admins) the privacy actions: export and erase.
 */
import { Alert, Anchor, Badge, Code, Grid, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { ACCESS } from '../../../../src/kernel/roles';
import type { ContactView } from '../../api/types';
import { roleAllows } from '../../auth/session';
import { ChannelBadge, LanguageBadge, StatusBadge, ValueBadge } from '../../components/badges';
import { PageHeader } from '../../components/page-header';
import { DetailLoader } from '../../components/detail-loader';
import { Truncated } from '../../components/truncated';
import { useI18n } from '../../i18n/i18n';
import { FrustratedBadge, SentimentSparkline } from '../../components/sentiment';
import { useCurrentUser } from '../../shell/current-user';
import { getContact } from './api';
import { EngagementSection } from './EngagementSection';
import { ContactSequences } from '../sequences/ContactSequences';
import { useInsightT } from './insight-texts';
import { PrivacyActions, useExportContact } from './PrivacyActions';
import { ContactEditor, NotesSection } from './ContactEditor';
import { MergeButton, UndoMergeButton } from './MergeDialog';
import { useContactEditT } from './edit-texts';
import { OrdersSection, ValueSection } from './ValueSection';
import { WriteToContactButton } from '../outreach/WriteToContact';

function Section({
  title,
  count,
  children,
  testId,
}: {
  title: string;
  count?: number;
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
      <Group gap="xs" mb="xs">
        <Title order={2} size="h5">
          {title}
        </Title>
        {count !== undefined && (
          <Badge size="xs" variant="default" circle={count < 10}>
            {count}
          </Badge>
        )}
      </Group>
      {children}
    </Paper>
  );
}

function None() {
  const { t } = useI18n();
  return (
    <Text size="sm" c="dimmed">
      {t('contact.none')}
    </Text>
  );
}

function IdentitiesSection({ v }: { v: ContactView }) {
  const { t } = useI18n();
  const c = v.contact;
  return (
    <Section title={t('contact.identities')} count={c.identities.length} testId="identities">
      {c.identities.length === 0 ? (
        <None />
      ) : (
        <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {c.identities.map((i) => (
            <Group component="li" key={`${i.channel}:${i.platformUserId}`} gap="xs" wrap="nowrap">
              <ChannelBadge channel={i.channel} />
              <Stack gap={0} style={{ minWidth: 0 }}>
                {i.displayName && <Truncated size="sm">{i.displayName}</Truncated>}
                <Truncated size="xs" c="dimmed" ff="monospace">
                  {i.platformUserId}
                </Truncated>
              </Stack>
            </Group>
          ))}
        </Stack>
      )}
    </Section>
  );
}

function ConsentSection({ v }: { v: ContactView }) {
  const { t, formatDate, formatDateTime } = useI18n();
  return (
    <Section title={t('contact.consent')} testId="consent">
      <Group gap="xs">
        <Badge color={v.consent.marketing.granted ? 'green' : 'gray'} variant="light" tt="none">
          {v.consent.marketing.granted
            ? t('contact.consentGranted')
            : t('contact.consentNotGranted')}
        </Badge>
        {v.consent.marketing.updatedAt && (
          <Text size="xs" c="dimmed">
            {t('contact.consentSince', { date: formatDate(v.consent.marketing.updatedAt) })}
          </Text>
        )}
      </Group>
      {v.consent.history.length > 0 && (
        <Stack gap={2} mt="xs">
          {v.consent.history.map((h, i) => (
            <Text key={i} size="xs" c="dimmed">
              {formatDateTime(h.at)} · {t(`consent.${h.action}`)} · {h.actor}
            </Text>
          ))}
        </Stack>
      )}
    </Section>
  );
}

function MergesSection({ v, editable }: { v: ContactView; editable: boolean }) {
  const { t, formatDateTime } = useI18n();
  const te = useContactEditT();
  const reasons = ['same email', 'same phone', 'staff'] as const;
  const reasonText = (r: string) =>
    (reasons as readonly string[]).includes(r) ? te(`reason.${r as (typeof reasons)[number]}`) : r;
  return (
    <Section title={t('contact.merges')} count={v.merges.length} testId="merges">
      {v.merges.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('contact.noMerges')}
        </Text>
      ) : (
        <Stack gap={6}>
          {v.merges.map((m) => (
            <Stack key={`${m.mergedId}-${m.at}`} gap={0} data-testid="merge-entry">
              <Group gap="xs" justify="space-between" wrap="nowrap">
                <Anchor component={Link} to={`/contacts/${m.mergedId}`} size="sm">
                  {t('contact.mergedFrom', { id: m.mergedName ?? te('unnamed') })}
                </Anchor>
                {editable && m.undoable && (
                  <UndoMergeButton contactId={v.contact.id} mergedId={m.mergedId} />
                )}
              </Group>
              <Text size="xs" c="dimmed">
                {formatDateTime(m.at)} · {m.actorName ?? (m.actor === 'bot' ? te('bot') : m.actor)}
                {m.reason ? ` · ${reasonText(m.reason)}` : ''}
              </Text>
              {m.undoneAt && (
                <Text size="xs" c="orange.8">
                  {te('undoneAt', { date: formatDateTime(m.undoneAt) })}
                </Text>
              )}
              <Group gap={4}>
                {m.channels.map((ch) => (
                  <ChannelBadge key={ch} channel={ch} />
                ))}
              </Group>
            </Stack>
          ))}
        </Stack>
      )}
    </Section>
  );
}

function Profile({ v, editable }: { v: ContactView; editable: boolean }) {
  const { t, formatDate } = useI18n();
  const te = useContactEditT();
  const c = v.contact;
  return (
    <Stack gap="sm">
      <IdentitiesSection v={v} />
      <Section title={t('contact.emails')}>
        {c.emails.length === 0 ? (
          <None />
        ) : (
          c.emails.map((e) => (
            <Truncated key={e} size="sm">
              {e}
            </Truncated>
          ))
        )}
        <Text size="xs" c="dimmed" mt="xs">
          {t('contact.phones')}
        </Text>
        {c.phones.length === 0 ? (
          <None />
        ) : (
          c.phones.map((p) => (
            <Text key={p} size="sm">
              {p}
            </Text>
          ))
        )}
        <Group gap="xs" mt="xs">
          <Text size="xs" c="dimmed">
            {t('contact.locale')}
          </Text>
          <LanguageBadge language={c.locale} />
          <Text size="xs" c="dimmed">
            {t('contact.created')}: {formatDate(c.createdAt)}
          </Text>
        </Group>
      </Section>
      <ConsentSection v={v} />
      <Section title={t('contact.tags')} testId="tags">
        {c.tags.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('contact.noTags')}
          </Text>
        ) : (
          <Group gap={4}>
            {c.tags.map((tag) => (
              <Badge key={tag} variant="light" tt="none" maw="100%" title={tag}>
                {tag}
              </Badge>
            ))}
          </Group>
        )}
      </Section>
      <Section title={te('notesTitle')} testId="notes">
        <NotesSection contact={c} />
      </Section>
      <MergesSection v={v} editable={editable} />
    </Stack>
  );
}

/** A privacy request's link to the person's data export (admins). */
function ExportLink({ id }: { id: string }) {
  const ti = useInsightT();
  const exporter = useExportContact(id);
  return (
    <Anchor
      component="button"
      type="button"
      size="xs"
      ta="left"
      style={{ alignSelf: 'flex-start' }}
      onClick={() => exporter.mutate()}
      data-testid="case-export"
    >
      ⤓ {ti('exportCase')}
    </Anchor>
  );
}

function Activity({ v }: { v: ContactView }) {
  const { t, formatDateTime, formatDate } = useI18n();
  const canExport = roleAllows(useCurrentUser().role, ACCESS.privacy.read);
  return (
    <Stack gap="sm">
      <Section
        title={t('contact.conversations')}
        count={v.conversations.length}
        testId="contact-conversations"
      >
        {v.conversations.length === 0 ? (
          <None />
        ) : (
          <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
            {v.conversations.map((c) => (
              <Group component="li" key={c.id} gap="xs" wrap="nowrap" justify="space-between">
                <Stack gap={0} style={{ minWidth: 0 }}>
                  <Anchor
                    component={Link}
                    to={`/conversations/${c.id}`}
                    size="sm"
                    aria-label={t('conversations.open', {
                      name: v.contact.name || t('conversations.unnamed'),
                    })}
                  >
                    <Group gap={4} wrap="wrap">
                      <ChannelBadge channel={c.channel} />
                      <StatusBadge status={c.status} />
                      {c.sentiment.frustratedAt && <FrustratedBadge size="xs" />}
                    </Group>
                  </Anchor>
                  <SentimentSparkline sentiment={c.sentiment} width={90} />
                  {c.lastMessageText && (
                    <Truncated size="xs" c="dimmed">
                      {c.lastMessageText}
                    </Truncated>
                  )}
                </Stack>
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {formatDateTime(c.lastMessageAt ?? c.createdAt)}
                </Text>
              </Group>
            ))}
          </Stack>
        )}
      </Section>
      <Section title={t('contact.leads')} count={v.leads.length} testId="contact-leads">
        {v.leads.length === 0 ? (
          <None />
        ) : (
          <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
            {v.leads.map((l) => (
              <Stack component="li" key={l.id} gap={2} data-testid="contact-lead">
                <Group gap={4} wrap="wrap">
                  <ValueBadge prefix="lead" value={l.status} color="violet" />
                  <ChannelBadge channel={l.channel} />
                  <Text size="xs" c="dimmed">
                    {formatDate(l.createdAt)}
                  </Text>
                </Group>
                <Truncated size="sm">{l.interest ?? l.company ?? l.name ?? l.id}</Truncated>
                {l.company && l.interest && (
                  <Truncated size="xs" c="dimmed">
                    {l.company}
                  </Truncated>
                )}
              </Stack>
            ))}
          </Stack>
        )}
      </Section>
      <Section title={t('contact.cases')} count={v.cases.length} testId="contact-cases">
        {v.cases.length === 0 ? (
          <None />
        ) : (
          <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
            {v.cases.map((c) => (
              <Stack component="li" key={c.id} gap={2} data-testid="contact-case">
                <Group gap={4} wrap="wrap">
                  <Code>{c.number}</Code>
                  <ValueBadge prefix="case" value={c.status} color="orange" />
                  <ValueBadge prefix="priority" value={c.priority} />
                  <Text size="xs" c="dimmed">
                    {formatDate(c.createdAt)}
                  </Text>
                </Group>
                <Truncated size="sm">{c.subject ?? c.type}</Truncated>
                {c.exportPath && canExport && <ExportLink id={v.contact.id} />}
              </Stack>
            ))}
          </Stack>
        )}
      </Section>
    </Stack>
  );
}

export default function ContactPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const query = useQuery({ queryKey: ['contact', id], queryFn: () => getContact(id) });
  return (
    <DetailLoader query={query} backTo="/contacts" backLabel={t('contacts.title')}>
      {(v, back) => <ContactBody v={v} back={back} />}
    </DetailLoader>
  );
}

function ContactBody({ v, back }: { v: ContactView; back: ReactNode }) {
  const { t, formatDateTime } = useI18n();
  const ti = useInsightT();
  const role = useCurrentUser().role;
  const privacy = roleAllows(role, ACCESS.privacy.read);
  const erased = v.contact.erasedAt;
  const editable =
    roleAllows(role, ACCESS.contactDetails.write) && !erased && !v.contact.mergedInto;
  const canWrite = roleAllows(role, ACCESS.conversations.write) && !erased && !v.contact.mergedInto;
  return (
    <Stack gap="sm">
      {back}
      <PageHeader title={erased ? ti('erasedTitle') : v.contact.name || t('conversations.unnamed')}>
        {canWrite && <WriteToContactButton contactId={v.contact.id} />}
        {editable && <ContactEditor contact={v.contact} />}
        {editable && <MergeButton contact={v.contact} />}
      </PageHeader>
      {erased && (
        <Alert color="gray" data-testid="erased-contact">
          <Text size="sm">{ti('erasedAlert', { date: formatDateTime(erased) })}</Text>
        </Alert>
      )}
      {v.contact.mergedInto && (
        <Alert color="yellow" data-testid="merged-into">
          <Stack gap={4}>
            <Text size="sm">{t('contact.mergedInto')}</Text>
            <Anchor component={Link} to={`/contacts/${v.contact.mergedInto}`} size="sm">
              {t('contact.openMerged')}
            </Anchor>
          </Stack>
        </Alert>
      )}
      <EngagementSection e={v.engagement} />
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="sm">
            <Profile v={v} editable={editable} />
            {privacy && <PrivacyActions v={v} />}
            <ContactSequences contactId={v.contact.id} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="sm">
            <ValueSection v={v} />
            <OrdersSection contactId={v.contact.id} />
            <Activity v={v} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
