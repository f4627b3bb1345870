/**
 * A sequence's steps, edited in place: a wait (days), a message (channel, subject, text per
 * language) or a condition (replied / lead status → go to a step). Each step moves up or down or
 * goes; the server checks the whole list again.
 */
import {
  ActionIcon,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import type { SequenceStep } from '../../../../src/features/sequences/schemas';
import { LEAD_STATUSES } from '../../../../src/kernel/vocabulary';
import { useSequenceT } from './texts';

type Send = Extract<SequenceStep, { kind: 'send' }>;
type Branch = Extract<SequenceStep, { kind: 'branch' }>;

const CHANNELS = ['email', 'telegram', 'webchat'] as const;

export const blankSend = (): Send => ({
  kind: 'send',
  channel: 'email',
  message: { es: { subject: '', text: '' }, en: { subject: '', text: '' } },
});

function SendFields({ step, onChange }: { step: Send; onChange(s: Send): void }) {
  const t = useSequenceT();
  const lang = (l: 'es' | 'en', field: 'subject' | 'text', value: string) => {
    const current = step.message[l] ?? { text: '' };
    onChange({ ...step, message: { ...step.message, [l]: { ...current, [field]: value } } });
  };
  return (
    <Stack gap={6}>
      <Select
        label={t('channel')}
        value={step.channel}
        allowDeselect={false}
        data={CHANNELS.map((c) => ({
          value: c,
          label: c === 'webchat' ? 'Web chat' : c === 'email' ? 'Email' : 'Telegram',
        }))}
        onChange={(v) => onChange({ ...step, channel: (v ?? 'email') as Send['channel'] })}
      />
      {(['es', 'en'] as const).map((l) => (
        <Stack gap={4} key={l}>
          {step.channel === 'email' && (
            <TextInput
              label={t(l === 'es' ? 'subjectEs' : 'subjectEn')}
              maxLength={200}
              value={step.message[l]?.subject ?? ''}
              onChange={(e) => lang(l, 'subject', e.currentTarget.value)}
            />
          )}
          <Textarea
            label={t(l === 'es' ? 'textEs' : 'textEn')}
            description={l === 'es' ? t('textHelp') : undefined}
            autosize
            minRows={2}
            maxLength={4000}
            value={step.message[l]?.text ?? ''}
            onChange={(e) => lang(l, 'text', e.currentTarget.value)}
            data-testid={`step-text-${l}`}
          />
        </Stack>
      ))}
    </Stack>
  );
}

function BranchFields({
  step,
  count,
  onChange,
}: {
  step: Branch;
  count: number;
  onChange(s: Branch): void;
}) {
  const t = useSequenceT();
  const targets = Array.from({ length: count + 1 }, (_, i) => ({
    value: String(i),
    label: i === count ? t('end') : `${i + 1}`,
  }));
  return (
    <Group gap="xs" align="end" wrap="wrap">
      <Select
        label={t('when')}
        allowDeselect={false}
        value={step.when.on}
        data={[
          { value: 'replied', label: t('when.replied') },
          { value: 'lead_status', label: t('when.lead_status') },
        ]}
        onChange={(v) =>
          onChange({
            ...step,
            when: v === 'lead_status' ? { on: 'lead_status', status: 'won' } : { on: 'replied' },
          })
        }
      />
      {step.when.on === 'lead_status' && (
        <Select
          label={t('status')}
          allowDeselect={false}
          value={step.when.status}
          data={LEAD_STATUSES.map((s) => ({ value: s, label: s }))}
          onChange={(v) =>
            onChange({
              ...step,
              when: { on: 'lead_status', status: (v ?? 'won') as (typeof LEAD_STATUSES)[number] },
            })
          }
        />
      )}
      <Select
        label={t('goto')}
        allowDeselect={false}
        value={String(step.goto)}
        data={targets}
        onChange={(v) => onChange({ ...step, goto: Number(v ?? count) })}
      />
    </Group>
  );
}

function StepCard(props: {
  step: SequenceStep;
  at: number;
  count: number;
  onChange(s: SequenceStep): void;
  onMove(by: -1 | 1): void;
  onRemove(): void;
}) {
  const t = useSequenceT();
  const { step, at, count } = props;
  return (
    <Paper withBorder p="xs" radius="md" data-testid="sequence-step">
      <Group justify="space-between" mb={6}>
        <Text fw={600} size="sm">
          {at + 1}. {t(`step.${step.kind}`)}
        </Text>
        <Group gap={4}>
          <ActionIcon
            variant="subtle"
            aria-label={t('moveUp')}
            disabled={at === 0}
            onClick={() => props.onMove(-1)}
          >
            ↑
          </ActionIcon>
          <ActionIcon
            variant="subtle"
            aria-label={t('moveDown')}
            disabled={at === count - 1}
            onClick={() => props.onMove(1)}
          >
            ↓
          </ActionIcon>
          <ActionIcon
            variant="subtle"
            color="red"
            aria-label={t('remove')}
            onClick={props.onRemove}
          >
            ×
          </ActionIcon>
        </Group>
      </Group>
      {step.kind === 'wait' && (
        <NumberInput
          label={t('days')}
          min={0}
          max={365}
          value={step.days ?? 1}
          onChange={(v) => props.onChange({ kind: 'wait', days: Number(v) || 0 })}
          w={140}
        />
      )}
      {step.kind === 'send' && <SendFields step={step} onChange={props.onChange} />}
      {step.kind === 'branch' && (
        <BranchFields step={step} count={count} onChange={props.onChange} />
      )}
    </Paper>
  );
}

export function StepEditor({
  steps,
  onChange,
}: {
  steps: SequenceStep[];
  onChange(steps: SequenceStep[]): void;
}) {
  const t = useSequenceT();
  const set = (at: number, s: SequenceStep) => onChange(steps.map((x, i) => (i === at ? s : x)));
  const move = (at: number, by: -1 | 1) => {
    const next = [...steps];
    const [item] = next.splice(at, 1);
    next.splice(at + by, 0, item!);
    onChange(next);
  };
  return (
    <Stack gap="xs">
      <Text fw={600} size="sm">
        {t('steps')}
      </Text>
      {steps.map((s, i) => (
        <StepCard
          key={i}
          step={s}
          at={i}
          count={steps.length}
          onChange={(x) => set(i, x)}
          onMove={(by) => move(i, by)}
          onRemove={() => onChange(steps.filter((_, j) => j !== i))}
        />
      ))}
      <Group gap="xs" wrap="wrap">
        <Button
          size="xs"
          variant="default"
          onClick={() => onChange([...steps, { kind: 'wait', days: 2 }])}
        >
          {t('addWait')}
        </Button>
        <Button
          size="xs"
          variant="default"
          onClick={() => onChange([...steps, blankSend()])}
          data-testid="add-send"
        >
          {t('addSend')}
        </Button>
        <Button
          size="xs"
          variant="default"
          onClick={() =>
            onChange([
              ...steps,
              { kind: 'branch', when: { on: 'replied' }, goto: steps.length + 1 },
            ])
          }
        >
          {t('addBranch')}
        </Button>
      </Group>
    </Stack>
  );
}
