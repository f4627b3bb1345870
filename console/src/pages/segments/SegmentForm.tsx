/**
 * Create or edit a segment: name, description and the filter fields (with the customer value
 * ones: RFM segments, at risk and high value, frustrated), with a live count of the
 * leads the filter selects now (POST /api/segments/count, debounced). Server validation errors
 * are shown on the form.
 */
import {
  Alert,
  Button,
  Group,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/i18n';
import {
  CHANNELS,
  RFM_SEGMENTS,
  STATUSES,
  countSegment,
  type Segment,
  type SegmentFilter,
  type SegmentInput,
} from './api';
import { useSegmentsT, type SegmentsKey } from './texts';
import { TagsField } from '../../components/tags-field';
import { useSegmentName } from '../value/parts';

interface Draft {
  name: string;
  description: string;
  tags: string[];
  channels: string[];
  language: string | null;
  consent: string | null;
  scoreMin: number | string;
  scoreMax: number | string;
  lastContactWithinDays: number | string;
  lastContactFrom: string;
  lastContactTo: string;
  hasOpenCase: string | null;
  intents: string[];
  statuses: string[];
  frustrated: string | null;
  valueSegments: string[];
  atRiskHighValue: string | null;
}

function draftOf(s?: Segment): Draft {
  const f = s?.filter ?? {};
  return {
    name: s?.name ?? '',
    description: s?.description ?? '',
    tags: f.tags ?? [],
    channels: f.channels ?? [],
    language: f.language ?? null,
    consent: f.consent ?? null,
    scoreMin: f.scoreMin ?? '',
    scoreMax: f.scoreMax ?? '',
    lastContactWithinDays: f.lastContactWithinDays ?? '',
    lastContactFrom: f.lastContactFrom?.slice(0, 10) ?? '',
    lastContactTo: f.lastContactTo?.slice(0, 10) ?? '',
    hasOpenCase: f.hasOpenCase === undefined ? null : String(f.hasOpenCase),
    intents: f.intents ?? [],
    statuses: f.statuses ?? [],
    frustrated: f.frustrated === undefined ? null : String(f.frustrated),
    valueSegments: f.valueSegments ?? [],
    atRiskHighValue: f.atRiskHighValue === undefined ? null : String(f.atRiskHighValue),
  };
}

const num = (v: number | string): number | undefined => (typeof v === 'number' ? v : undefined);

/** The picked values the server knows (the pickers offer no others). */
const known = <T extends string>(all: readonly T[], picked: string[]): T[] =>
  picked.filter((v): v is T => (all as readonly string[]).includes(v));

/** The filter of a draft: empty fields left out. */
export function filterOf(d: Draft): SegmentFilter {
  const f: SegmentFilter = {};
  if (d.tags.length) f.tags = d.tags;
  if (d.channels.length) f.channels = known(CHANNELS, d.channels);
  if (d.language === 'es' || d.language === 'en') f.language = d.language;
  if (d.consent === 'granted' || d.consent === 'withheld') f.consent = d.consent;
  if (num(d.scoreMin) !== undefined) f.scoreMin = num(d.scoreMin);
  if (num(d.scoreMax) !== undefined) f.scoreMax = num(d.scoreMax);
  if (num(d.lastContactWithinDays) !== undefined)
    f.lastContactWithinDays = num(d.lastContactWithinDays);
  if (d.lastContactFrom) f.lastContactFrom = d.lastContactFrom;
  if (d.lastContactTo) f.lastContactTo = d.lastContactTo;
  if (d.hasOpenCase === 'true' || d.hasOpenCase === 'false')
    f.hasOpenCase = d.hasOpenCase === 'true';
  if (d.intents.length) f.intents = d.intents;
  if (d.statuses.length) f.statuses = known(STATUSES, d.statuses);
  if (d.frustrated === 'true' || d.frustrated === 'false') f.frustrated = d.frustrated === 'true';
  if (d.valueSegments.length) f.valueSegments = known(RFM_SEGMENTS, d.valueSegments);
  if (d.atRiskHighValue === 'true' || d.atRiskHighValue === 'false')
    f.atRiskHighValue = d.atRiskHighValue === 'true';
  return f;
}

function LiveCount({ filter }: { filter: SegmentFilter }) {
  const t = useSegmentsT();
  const [debounced] = useDebouncedValue(filter, 400);
  const count = useQuery({
    queryKey: ['segments', 'count', debounced],
    queryFn: () => countSegment(debounced),
    placeholderData: keepPreviousData,
    retry: false,
  });
  return (
    <Text size="sm" fw={600} aria-live="polite" data-testid="segment-live-count">
      {count.isError
        ? count.error.message
        : count.data
          ? count.data.count === 1
            ? t('liveCountOne')
            : t('liveCount', { count: count.data.count })
          : t('counting')}
    </Text>
  );
}

/** What the form's field groups get: the draft and a setter for one of its fields. */
interface FieldsProps {
  d: Draft;
  set<K extends keyof Draft>(key: K, value: Draft[K]): void;
}

function useOptions() {
  const t = useSegmentsT();
  return (keys: readonly string[], prefix: string) =>
    keys.map((k) => ({ value: k, label: t(`${prefix}.${k}` as SegmentsKey) }));
}

/** Who the lead is: tags, channels, language, consent, score. */
function ProfileFields({ d, set }: FieldsProps) {
  const t = useSegmentsT();
  const { t: tg } = useI18n();
  const options = useOptions();
  return (
    <>
      <TagsField
        label={t('tags')}
        description={t('tagsHint')}
        value={d.tags}
        onChange={(v) => set('tags', v)}
        maxTags={20}
      />
      <MultiSelect
        label={t('channels')}
        data={CHANNELS.map((c) => ({ value: c, label: tg(`channel.${c}` as MessageKey) }))}
        value={d.channels}
        onChange={(v) => set('channels', v)}
      />
      <Select
        label={t('language')}
        placeholder={t('any')}
        clearable
        data={options(['es', 'en'], 'lang')}
        value={d.language}
        onChange={(v) => set('language', v)}
      />
      <Select
        label={t('consent')}
        placeholder={t('any')}
        clearable
        data={options(['granted', 'withheld'], 'consent')}
        value={d.consent}
        onChange={(v) => set('consent', v)}
      />
      <NumberInput
        label={t('scoreMin')}
        min={0}
        max={100}
        value={d.scoreMin}
        onChange={(v) => set('scoreMin', v)}
      />
      <NumberInput
        label={t('scoreMax')}
        min={0}
        max={100}
        value={d.scoreMax}
        onChange={(v) => set('scoreMax', v)}
      />
    </>
  );
}

/** What the lead did: last contact, open case, intents, pipeline status. */
function ActivityFields({ d, set }: FieldsProps) {
  const t = useSegmentsT();
  const options = useOptions();
  return (
    <>
      <NumberInput
        label={t('lastContactWithinDays')}
        min={1}
        max={3650}
        value={d.lastContactWithinDays}
        onChange={(v) => set('lastContactWithinDays', v)}
      />
      <Select
        label={t('hasOpenCase')}
        placeholder={t('any')}
        clearable
        data={options(['true', 'false'], 'hasOpenCase')}
        value={d.hasOpenCase}
        onChange={(v) => set('hasOpenCase', v)}
      />
      <TextInput
        type="date"
        label={t('lastContactFrom')}
        value={d.lastContactFrom}
        onChange={(e) => set('lastContactFrom', e.currentTarget.value)}
      />
      <TextInput
        type="date"
        label={t('lastContactTo')}
        value={d.lastContactTo}
        onChange={(e) => set('lastContactTo', e.currentTarget.value)}
      />
      <TagsField
        label={t('intents')}
        description={t('intentsHint')}
        value={d.intents}
        onChange={(v) => set('intents', v)}
        maxTags={50}
      />
      <MultiSelect
        label={t('statuses')}
        data={options(STATUSES, 'status')}
        value={d.statuses}
        onChange={(v) => set('statuses', v)}
      />
    </>
  );
}

/** What the customer is worth (the value feature's latest fit) and how they felt. */
function ValueFields({ d, set }: FieldsProps) {
  const t = useSegmentsT();
  const options = useOptions();
  const segmentName = useSegmentName();
  return (
    <>
      <MultiSelect
        label={t('valueSegments')}
        description={t('valueSegmentsHint')}
        data={RFM_SEGMENTS.map((s) => ({ value: s, label: segmentName(s) }))}
        value={d.valueSegments}
        onChange={(v) => set('valueSegments', v)}
        data-testid="segment-value-segments"
      />
      <Select
        label={t('atRiskHighValue')}
        placeholder={t('any')}
        clearable
        data={options(['true', 'false'], 'atRiskHighValue')}
        value={d.atRiskHighValue}
        onChange={(v) => set('atRiskHighValue', v)}
        data-testid="segment-at-risk"
      />
      <Select
        label={t('frustrated')}
        placeholder={t('any')}
        clearable
        data={options(['true', 'false'], 'frustrated')}
        value={d.frustrated}
        onChange={(v) => set('frustrated', v)}
      />
    </>
  );
}

export function SegmentForm({
  segment,
  saving,
  error,
  onSave,
  onCancel,
}: {
  segment?: Segment;
  saving: boolean;
  error?: string;
  onSave(input: SegmentInput): void;
  onCancel(): void;
}) {
  const t = useSegmentsT();
  const [d, setD] = useState<Draft>(() => draftOf(segment));
  const [nameError, setNameError] = useState<string>();
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setD((p) => ({ ...p, [key]: value }));
  const filter = filterOf(d);
  const submit = () => {
    if (!d.name.trim()) return setNameError(t('nameRequired'));
    onSave({ name: d.name.trim(), description: d.description.trim() || null, filter });
  };
  return (
    <Stack
      component="form"
      gap="sm"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <TextInput
        label={t('name')}
        required
        maxLength={100}
        value={d.name}
        error={nameError}
        onChange={(e) => {
          setNameError(undefined);
          set('name', e.currentTarget.value);
        }}
        data-autofocus
      />
      <TextInput
        label={t('description')}
        maxLength={500}
        value={d.description}
        onChange={(e) => set('description', e.currentTarget.value)}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <ProfileFields d={d} set={set} />
        <ActivityFields d={d} set={set} />
        <ValueFields d={d} set={set} />
      </SimpleGrid>
      <LiveCount filter={filter} />
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Group justify="flex-end" gap="xs">
        <Button variant="default" onClick={onCancel}>
          {t('cancel')}
        </Button>
        <Button type="submit" loading={saving} data-testid="segment-save">
          {t('save')}
        </Button>
      </Group>
    </Stack>
  );
}
