/**
 * The saved segments as a table (desktop) or as cards (phone): name, live lead count, criteria,
 * and the actions (view the leads, export, edit, delete; the last three for editors only).
 */
import { Badge, Button, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { Truncated } from '../../components/truncated';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/i18n';
import { useSegmentName } from '../value/parts';
import type { Segment, SegmentFilter } from './api';
import { useSegmentsT, type SegmentsKey, type SegmentsT } from './texts';

type Tg = (key: MessageKey) => string;

/** Short, translated descriptions of a filter's criteria. */
export function criteriaOf(
  f: SegmentFilter,
  t: SegmentsT,
  tg: Tg,
  segmentName: (s: string) => string = (s) => s,
): string[] {
  const out: string[] = [];
  const list = (xs: string[]) => xs.join(', ');
  if (f.tags?.length) out.push(`${t('tags')}: ${list(f.tags)}`);
  if (f.channels?.length)
    out.push(`${t('channels')}: ${list(f.channels.map((c) => tg(`channel.${c}` as MessageKey)))}`);
  if (f.language) out.push(`${t('language')}: ${t(`lang.${f.language}` as SegmentsKey)}`);
  if (f.consent) out.push(`${t('consent')}: ${t(`consent.${f.consent}` as SegmentsKey)}`);
  if (f.scoreMin !== undefined || f.scoreMax !== undefined)
    out.push(`${f.scoreMin ?? 0}–${f.scoreMax ?? 100} pts`);
  if (f.lastContactWithinDays)
    out.push(`${t('lastContactWithinDays')}: ${f.lastContactWithinDays}`);
  if (f.lastContactFrom) out.push(`${t('lastContactFrom')}: ${f.lastContactFrom.slice(0, 10)}`);
  if (f.lastContactTo) out.push(`${t('lastContactTo')}: ${f.lastContactTo.slice(0, 10)}`);
  if (f.hasOpenCase !== undefined) out.push(t(`hasOpenCase.${f.hasOpenCase}` as SegmentsKey));
  if (f.intents?.length) out.push(`${t('intents')}: ${list(f.intents)}`);
  if (f.statuses?.length)
    out.push(`${t('statuses')}: ${list(f.statuses.map((s) => t(`status.${s}` as SegmentsKey)))}`);
  if (f.frustrated !== undefined) out.push(t(`frustrated.${f.frustrated}` as SegmentsKey));
  if (f.valueSegments?.length)
    out.push(`${t('valueSegments')}: ${list(f.valueSegments.map(segmentName))}`);
  if (f.atRiskHighValue !== undefined)
    out.push(t(`atRiskHighValue.${f.atRiskHighValue}` as SegmentsKey));
  return out.length ? out : [t('anyLead')];
}

const exportUrl = (id: string) => `/api/leads/export.csv?segment=${encodeURIComponent(id)}`;

function Criteria({ s }: { s: Segment }) {
  const t = useSegmentsT();
  const { t: tg } = useI18n();
  const segmentName = useSegmentName();
  return (
    <Group gap={4} wrap="wrap">
      {criteriaOf(s.filter, t, tg, segmentName).map((c) => (
        <Badge key={c} size="sm" variant="light" color="gray" c="gray.8" tt="none" maw="100%">
          <Truncated size="xs">{c}</Truncated>
        </Badge>
      ))}
    </Group>
  );
}

function Actions({
  s,
  editable,
  onEdit,
  onDelete,
}: {
  s: Segment;
  editable: boolean;
  onEdit(s: Segment): void;
  onDelete(s: Segment): void;
}) {
  const t = useSegmentsT();
  return (
    <Group gap={4} wrap="wrap">
      <Button
        size="compact-xs"
        variant="default"
        component={Link}
        to={`/leads?view=table&segment=${s.id}`}
      >
        {t('viewLeads')}
      </Button>
      {editable && (
        <>
          <Button size="compact-xs" variant="default" component="a" href={exportUrl(s.id)}>
            {t('exportCsv')}
          </Button>
          <Button
            size="compact-xs"
            variant="default"
            onClick={() => onEdit(s)}
            aria-label={`${t('edit')}: ${s.name}`}
          >
            {t('edit')}
          </Button>
          <Button
            size="compact-xs"
            variant="subtle"
            color="red"
            onClick={() => onDelete(s)}
            aria-label={`${t('delete')}: ${s.name}`}
          >
            {t('delete')}
          </Button>
        </>
      )}
    </Group>
  );
}

const Count = ({ n }: { n: number }) => (
  <Badge
    size="lg"
    variant="filled"
    color="blue"
    style={{ flexShrink: 0 }}
    data-testid="segment-count"
  >
    {n.toLocaleString()}
  </Badge>
);

interface RowsProps {
  items: Segment[];
  editable: boolean;
  onEdit(s: Segment): void;
  onDelete(s: Segment): void;
}

export function SegmentCards({ items, editable, onEdit, onDelete }: RowsProps) {
  return (
    <Stack gap="sm">
      {items.map((s) => (
        <Paper key={s.id} withBorder p="sm" data-testid="segment-row">
          <Stack gap={6}>
            <Group justify="space-between" wrap="nowrap" gap="xs">
              <Truncated fw={600}>{s.name}</Truncated>
              <Count n={s.count} />
            </Group>
            {s.description && (
              <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                {s.description}
              </Text>
            )}
            <Criteria s={s} />
            <Actions s={s} editable={editable} onEdit={onEdit} onDelete={onDelete} />
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}

export function SegmentTable({ items, editable, onEdit, onDelete }: RowsProps) {
  const t = useSegmentsT();
  return (
    <Table striped highlightOnHover layout="fixed">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w="24%">{t('name')}</Table.Th>
          <Table.Th w={90} ta="right">
            {t('leads')}
          </Table.Th>
          <Table.Th>{t('criteria')}</Table.Th>
          <Table.Th w={editable ? 340 : 110}>{t('actions')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((s) => (
          <Table.Tr key={s.id} data-testid="segment-row">
            <Table.Td>
              <Truncated fw={600}>{s.name}</Truncated>
              {s.description && (
                <Truncated size="xs" c="dimmed">
                  {s.description}
                </Truncated>
              )}
            </Table.Td>
            <Table.Td ta="right">
              <Count n={s.count} />
            </Table.Td>
            <Table.Td>
              <Criteria s={s} />
            </Table.Td>
            <Table.Td>
              <Actions s={s} editable={editable} onEdit={onEdit} onDelete={onDelete} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
