/**
 * /console/sequences: autoresponders (issue 21.6). The list shows each sequence's trigger, steps
 * and how many contacts are where; a dialog adds or edits one (trigger, steps, exits); a row opens
 * who is in it, with a Stop per contact.
 */
import {
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import type {
  SequenceStep,
  SequenceTrigger,
  SequenceView,
} from '../../../../src/features/sequences/schemas';
import { LEAD_STATUSES } from '../../../../src/kernel/vocabulary';
import { errorText } from '../../api/client';
import type { BodyOf } from '../../api/endpoints';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/i18n';
import {
  createSequence,
  deleteSequence,
  listEnrolments,
  listSequences,
  stopEnrolment,
  updateSequence,
} from './api';
import { StepEditor, blankSend } from './StepEditor';
import { useSequenceT } from './texts';

type Draft = BodyOf<'POST /api/sequences'> & { id?: string };
const EXITS = ['reply', 'conversion', 'unsubscribe'] as const;
const TRIGGERS = [
  'lead.created',
  'lead.status',
  'tag.added',
  'case.resolved',
  'segment.entered',
] as const;

/** Drops a language left empty, so "Spanish only" is a valid message. */
function cleanSteps(steps: SequenceStep[]): SequenceStep[] {
  return steps.map((s) => {
    if (s.kind !== 'send') return s;
    const keep = (m?: { subject?: string; text: string }) =>
      m && m.text.trim()
        ? { text: m.text, ...(m.subject?.trim() ? { subject: m.subject } : {}) }
        : undefined;
    const es = keep(s.message.es);
    const en = keep(s.message.en);
    return { ...s, message: { ...(es ? { es } : {}), ...(en ? { en } : {}) } };
  });
}

function triggerFor(type: SequenceTrigger['type']): SequenceTrigger {
  if (type === 'lead.status') return { type, status: 'qualified' };
  if (type === 'tag.added') return { type, tag: '' };
  if (type === 'segment.entered') return { type, segmentId: '' };
  return { type };
}

function TriggerFields({
  trigger,
  onChange,
}: {
  trigger: SequenceTrigger;
  onChange(t: SequenceTrigger): void;
}) {
  const t = useSequenceT();
  return (
    <Group gap="xs" align="end" wrap="wrap">
      <Select
        label={t('trigger')}
        allowDeselect={false}
        value={trigger.type}
        data={TRIGGERS.map((v) => ({ value: v, label: t(`trigger.${v}`) }))}
        onChange={(v) => onChange(triggerFor((v ?? 'lead.created') as SequenceTrigger['type']))}
        data-testid="sequence-trigger"
      />
      {trigger.type === 'lead.status' && (
        <Select
          label={t('status')}
          allowDeselect={false}
          value={trigger.status}
          data={LEAD_STATUSES.map((s) => ({ value: s, label: s }))}
          onChange={(v) =>
            onChange({
              type: 'lead.status',
              status: (v ?? 'qualified') as (typeof LEAD_STATUSES)[number],
            })
          }
        />
      )}
      {trigger.type === 'tag.added' && (
        <TextInput
          label={t('tag')}
          value={trigger.tag}
          maxLength={40}
          onChange={(e) => onChange({ type: 'tag.added', tag: e.currentTarget.value })}
          data-testid="sequence-tag"
        />
      )}
      {trigger.type === 'segment.entered' && (
        <TextInput
          label={t('segmentId')}
          value={trigger.segmentId}
          onChange={(e) =>
            onChange({ type: 'segment.entered', segmentId: e.currentTarget.value.trim() })
          }
        />
      )}
    </Group>
  );
}

function Editor({ draft, onClose }: { draft: Draft; onClose(): void }) {
  const t = useSequenceT();
  const queryClient = useQueryClient();
  const [d, setD] = useState(draft);
  const save = useMutation({
    mutationFn: () => {
      const body = {
        name: d.name,
        trigger: d.trigger,
        steps: cleanSteps(d.steps as SequenceStep[]),
        exitOn: d.exitOn,
        active: d.active,
      };
      return d.id ? updateSequence(d.id, body) : createSequence(body);
    },
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('saved') });
      void queryClient.invalidateQueries({ queryKey: ['sequences'] });
      onClose();
    },
    onError: (err) =>
      notifications.show({ color: 'red', message: t('failed', { message: errorText(err) }) }),
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack gap="sm">
        <TextInput
          label={t('name')}
          required
          maxLength={120}
          value={d.name}
          onChange={(e) => setD({ ...d, name: e.currentTarget.value })}
          data-testid="sequence-name"
        />
        <TriggerFields
          trigger={d.trigger as SequenceTrigger}
          onChange={(trigger) => setD({ ...d, trigger })}
        />
        <StepEditor steps={d.steps as SequenceStep[]} onChange={(steps) => setD({ ...d, steps })} />
        <Checkbox.Group
          label={t('exitOn')}
          value={d.exitOn ?? [...EXITS]}
          onChange={(v) => setD({ ...d, exitOn: v as Draft['exitOn'] })}
        >
          <Group gap="md" mt={4}>
            {EXITS.map((x) => (
              <Checkbox key={x} value={x} label={t(`exit.${x}`)} />
            ))}
          </Group>
        </Checkbox.Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} data-testid="sequence-save">
            {t('save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function People({ sequence }: { sequence: SequenceView }) {
  const t = useSequenceT();
  const { formatDateTime } = useI18n();
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['sequences', sequence.id, 'enrolments'],
    queryFn: () => listEnrolments(sequence.id),
  });
  const stop = useMutation({
    mutationFn: (enrolmentId: string) => stopEnrolment(sequence.id, enrolmentId),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['sequences'] }),
    onError: (err) => notifications.show({ color: 'red', message: errorText(err) }),
  });
  if (query.isPending) return <LoadingState />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data.items.length)
    return (
      <Text size="sm" c="dimmed">
        {t('noPeople')}
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('contact')}</Table.Th>
            <Table.Th>{t('status')}</Table.Th>
            <Table.Th>{t('atStep')}</Table.Th>
            <Table.Th>{t('next')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {query.data.items.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>
                <Link to={`/contacts/${e.contactId}`}>{e.contactName ?? t('unnamed')}</Link>
              </Table.Td>
              <Table.Td>
                {t(`status.${e.status}`)}
                {e.reason && e.status !== 'completed' ? ` · ${e.reason}` : ''}
              </Table.Td>
              <Table.Td>{Math.min(e.step + 1, sequence.steps.length)}</Table.Td>
              <Table.Td>{e.nextAt ? formatDateTime(e.nextAt) : '—'}</Table.Td>
              <Table.Td>
                {e.status === 'active' && (
                  <Button size="xs" variant="default" onClick={() => stop.mutate(e.id)}>
                    {t('stop')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Row({ s, onEdit }: { s: SequenceView; onEdit(): void }) {
  const t = useSequenceT();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [asking, setAsking] = useState(false);
  const done = () => void queryClient.invalidateQueries({ queryKey: ['sequences'] });
  const toggle = useMutation({
    mutationFn: () => updateSequence(s.id, { active: !s.active }),
    onSuccess: done,
  });
  const remove = useMutation({
    mutationFn: () => deleteSequence(s.id),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('deleted') });
      done();
    },
  });
  return (
    <Paper withBorder p="sm" radius="md" data-testid="sequence-row">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap={6} wrap="wrap">
          <Text fw={600}>{s.name}</Text>
          <Badge variant="light" color={s.active ? 'teal' : 'gray'}>
            {s.active ? t('active') : t('paused')}
          </Badge>
          <Text size="sm" c="dimmed">
            {t(`trigger.${s.trigger.type}`)} · {t('stepsCount', { count: s.steps.length })}
          </Text>
        </Group>
        <Group gap="xs" wrap="wrap">
          <Button size="xs" variant="default" onClick={() => setOpen(!open)} aria-expanded={open}>
            {t('people')}
          </Button>
          <Button size="xs" variant="default" onClick={onEdit}>
            {t('edit')}
          </Button>
          <Button
            size="xs"
            variant="default"
            onClick={() => toggle.mutate()}
            loading={toggle.isPending}
          >
            {s.active ? t('pause') : t('resume')}
          </Button>
          {asking ? (
            <>
              <Text size="sm">{t('deleteConfirm', { name: s.name })}</Text>
              <Button
                size="xs"
                color="red"
                onClick={() => remove.mutate()}
                loading={remove.isPending}
              >
                {t('delete')}
              </Button>
              <Button size="xs" variant="default" onClick={() => setAsking(false)}>
                {t('cancel')}
              </Button>
            </>
          ) : (
            <Button size="xs" variant="subtle" color="red" onClick={() => setAsking(true)}>
              {t('delete')}
            </Button>
          )}
        </Group>
      </Group>
      <Group gap="md" mt={6} wrap="wrap">
        {(['active', 'completed', 'exited', 'stopped'] as const).map((k) => (
          <Text key={k} size="sm">
            <b>{s.counts[k] ?? 0}</b> {t(`count.${k}`)}
          </Text>
        ))}
      </Group>
      {open && (
        <div style={{ marginTop: 8 }}>
          <People sequence={s} />
        </div>
      )}
    </Paper>
  );
}

export default function SequencesPage() {
  const t = useSequenceT();
  const [editing, setEditing] = useState<Draft | null>(null);
  const query = useQuery({ queryKey: ['sequences'], queryFn: listSequences });
  const blank: Draft = {
    name: '',
    trigger: { type: 'lead.created' },
    steps: [blankSend()],
    exitOn: [...EXITS],
    active: true,
  };
  return (
    <Stack gap="sm">
      <PageHeader title={t('title')}>
        <Button onClick={() => setEditing(blank)} data-testid="sequence-add">
          {t('add')}
        </Button>
      </PageHeader>
      <Text size="sm" c="dimmed">
        {t('intro')}
      </Text>
      {query.isPending ? (
        <LoadingState />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.items.length === 0 ? (
        <EmptyState title={t('empty')} hint={t('emptyHint')} />
      ) : (
        query.data.items.map((s) => (
          <Row
            key={s.id}
            s={s}
            onEdit={() =>
              setEditing({
                id: s.id,
                name: s.name,
                trigger: s.trigger,
                steps: s.steps,
                exitOn: s.exitOn,
                active: s.active,
              })
            }
          />
        ))
      )}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing?.id ? t('edit') : t('add')}
        size="lg"
      >
        {editing && <Editor draft={editing} onClose={() => setEditing(null)} />}
      </Modal>
    </Stack>
  );
}
