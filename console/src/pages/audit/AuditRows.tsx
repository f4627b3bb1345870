/** The audit entries as a table (desktop) or as cards (phone), each with what it changed. */
import { Code, Group, List, Paper, Stack, Table, Text } from '@mantine/core';
import type { AuditItem } from '../../api/types';
import { Truncated } from '../../components/truncated';
import { useI18n } from '../../i18n/i18n';

/** `marketingConsent` → `marketing consent`, `owner_id` → `owner id`. */
const fieldLabel = (key: string) =>
  key
    .replace(/[_.]+/g, ' ')
    .replace(/([a-z])([A-Z])/g, (_, a: string, b: string) => `${a} ${b.toLowerCase()}`);

/** A value as a person reads it: names for staff ids, lists joined, yes/no, `—` for nothing. */
function useShow(names: Record<string, string>) {
  const { t } = useI18n();
  const show = (v: unknown): string => {
    if (v === null || v === undefined || v === '') return t('state.none');
    if (typeof v === 'string') return names[v] ?? v;
    if (typeof v === 'boolean') return v ? t('audit.yes') : t('audit.no');
    if (typeof v === 'number') return String(v);
    if (Array.isArray(v)) return v.length === 0 ? t('state.none') : v.map(show).join(', ');
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${fieldLabel(k)}: ${show(x)}`)
      .join('; ');
  };
  return show;
}

function Changes({ e }: { e: AuditItem }) {
  const { t } = useI18n();
  const show = useShow(e.names);
  const keys = [...new Set([...Object.keys(e.before ?? {}), ...Object.keys(e.after ?? {})])];
  const details = Object.entries(e.details ?? {});
  if (keys.length === 0 && details.length === 0) return <>{t('state.none')}</>;
  return (
    <Stack gap={2}>
      {keys.length > 0 && (
        <List size="xs" spacing={0} data-testid="audit-changes">
          {keys.map((k) => (
            <List.Item key={k} style={{ overflowWrap: 'anywhere' }}>
              <b>{fieldLabel(k)}</b>:{' '}
              {e.before && k in e.before ? show(e.before[k]) : t('state.none')} →{' '}
              {e.after && k in e.after ? show(e.after[k]) : t('state.none')}
            </List.Item>
          ))}
        </List>
      )}
      {details.length > 0 && (
        <List size="xs" spacing={0} c="dimmed" data-testid="audit-details">
          {details.map(([k, v]) => (
            <List.Item key={k} style={{ overflowWrap: 'anywhere' }}>
              {fieldLabel(k)}: {show(v)}
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}

/** The target by name when the server knows it (`Marta Ruiz`, `CS-000002`), else `type:id`. */
const targetOf = (e: AuditItem) => e.targetName ?? `${e.targetType}:${e.targetId}`;

export function AuditCards({ items }: { items: AuditItem[] }) {
  const { formatDateTime } = useI18n();
  return (
    <Stack gap="xs" data-testid="audit-table">
      {items.map((e) => (
        <Paper
          key={e.id}
          withBorder
          p="sm"
          radius="md"
          data-testid="audit-row"
          data-action={e.action}
        >
          <Stack gap={4}>
            <Group justify="space-between" wrap="nowrap" gap="xs">
              <Truncated size="sm" fw={600}>
                {e.actorName ?? e.actor}
              </Truncated>
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {formatDateTime(e.at)}
              </Text>
            </Group>
            <Group gap="xs" wrap="nowrap">
              <Code style={{ flexShrink: 0 }}>{e.action}</Code>
              <Truncated size="xs" ff={e.targetName ? undefined : 'monospace'} c="dimmed">
                {targetOf(e)}
              </Truncated>
            </Group>
            {(e.before || e.after || e.details) && <Changes e={e} />}
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}

export function AuditTable({ items }: { items: AuditItem[] }) {
  const { t, formatDateTime } = useI18n();
  return (
    <Paper withBorder radius="md" className="table-scroll">
      <Table verticalSpacing="xs" fz="sm" data-testid="audit-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('audit.when')}</Table.Th>
            <Table.Th>{t('audit.actor')}</Table.Th>
            <Table.Th>{t('audit.action')}</Table.Th>
            <Table.Th visibleFrom="sm">{t('audit.target')}</Table.Th>
            <Table.Th visibleFrom="md">{t('audit.changes')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((e) => (
            <Table.Tr key={e.id} data-testid="audit-row" data-action={e.action}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Text size="xs">{formatDateTime(e.at)}</Text>
              </Table.Td>
              <Table.Td maw={180}>
                <Truncated size="sm">{e.actorName ?? e.actor}</Truncated>
              </Table.Td>
              <Table.Td>
                <Code>{e.action}</Code>
              </Table.Td>
              <Table.Td visibleFrom="sm" maw={200}>
                <Truncated size="xs" ff={e.targetName ? undefined : 'monospace'}>
                  {targetOf(e)}
                </Truncated>
              </Table.Td>
              <Table.Td visibleFrom="md" maw={360}>
                <Changes e={e} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
