/** The audit entries as a table (desktop) or as cards (phone), each with what it changed. */
import { Code, Group, Paper, Stack, Table, Text } from '@mantine/core';
import type { AuditItem } from '../../api/types';
import { Truncated } from '../../components/truncated';
import { useI18n } from '../../i18n/i18n';

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

function Changes({ e }: { e: AuditItem }) {
  const { t } = useI18n();
  const keys = [...new Set([...Object.keys(e.before ?? {}), ...Object.keys(e.after ?? {})])];
  if (keys.length === 0 && !e.details) return <>{t('state.none')}</>;
  return (
    <Stack gap={2}>
      {keys.map((k) => (
        <Text key={k} size="xs" style={{ overflowWrap: 'anywhere' }}>
          <b>{k}</b>: {e.before && k in e.before ? show(e.before[k]) : '∅'} →{' '}
          {e.after && k in e.after ? show(e.after[k]) : '∅'}
        </Text>
      ))}
      {e.details && (
        <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {show(e.details)}
        </Text>
      )}
    </Stack>
  );
}

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
              <Truncated
                size="xs"
                ff="monospace"
                c="dimmed"
              >{`${e.targetType}:${e.targetId}`}</Truncated>
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
                <Truncated size="xs" ff="monospace">{`${e.targetType}:${e.targetId}`}</Truncated>
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
