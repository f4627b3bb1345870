/** The import's column mapping and its per-row report (what each row would do or did). */
import { Badge, Box, Paper, Select, SimpleGrid, Table, Text, Stack } from '@mantine/core';
import { Link } from 'react-router';
import type { ContactImportReport, ContactImportRow, ImportField } from '../../api/types';
import { useImportT, type ContactImportKey } from './import-texts';

const FIELDS: ImportField[] = [
  'ignore',
  'name',
  'email',
  'phone',
  'tags',
  'notes',
  'language',
  'custom',
];
/** Rows shown in the table; the summary counts all of them. */
const SHOWN = 500;

export function MappingTable({
  columns,
  onChange,
}: {
  columns: ContactImportReport['columns'];
  onChange(header: string, field: ImportField): void;
}) {
  const t = useImportT();
  const data = FIELDS.map((f) => ({ value: f, label: t(`field.${f}` as ContactImportKey) }));
  return (
    <Paper withBorder radius="md" p="sm" component="section" aria-label={t('mapping')}>
      <Text fw={600} size="sm">
        {t('mapping')}
      </Text>
      <Text size="xs" c="dimmed" mb="xs">
        {t('mappingHint')}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm" data-testid="import-mapping">
        {columns.map((c, i) => (
          <Select
            key={`${i}-${c.header}`}
            label={c.header || `#${i + 1}`}
            data={data}
            value={c.field}
            allowDeselect={false}
            onChange={(v) => v && onChange(c.header, v as ImportField)}
            size="sm"
            data-testid="import-field"
            data-header={c.header}
          />
        ))}
      </SimpleGrid>
    </Paper>
  );
}

const COLORS = { create: 'teal', update: 'blue', error: 'red' } as const;

function RowNote({ r }: { r: ContactImportRow }) {
  const t = useImportT();
  if (r.action === 'error') {
    return (
      <Stack gap={2}>
        {r.errors.map((e, i) => (
          <Text key={i} size="xs" c="red.8" style={{ overflowWrap: 'anywhere' }}>
            {e.column ? `${e.column}: ` : ''}
            {t(`error.${e.code}` as ContactImportKey, { value: e.value })}
          </Text>
        ))}
      </Stack>
    );
  }
  const fields = r.changes.map((c) => t(`change.${c}` as ContactImportKey)).join(', ');
  return (
    <Stack gap={2}>
      {r.sameAsLine !== null && <Text size="xs">{t('sameAs', { line: r.sameAsLine })}</Text>}
      {r.contactId && r.action === 'update' && r.sameAsLine === null && (
        <Text size="xs" component={Link} to={`/contacts/${r.contactId}`} c="blue.8">
          {t('existing')}
        </Text>
      )}
      {r.action === 'update' && (
        <Text size="xs" c="dimmed">
          {fields ? t('changes', { fields }) : t('noChange')}
        </Text>
      )}
    </Stack>
  );
}

export function ReportTable({ rows }: { rows: ContactImportRow[] }) {
  const t = useImportT();
  return (
    <Paper withBorder radius="md" className="table-scroll">
      <Table verticalSpacing="xs" fz="sm" data-testid="import-rows" layout="fixed">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={64}>{t('line')}</Table.Th>
            <Table.Th w={110}>{t('action')}</Table.Th>
            <Table.Th>{t('customer')}</Table.Th>
            <Table.Th visibleFrom="sm">{t('problems')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.slice(0, SHOWN).map((r) => (
            <Table.Tr key={r.line} data-testid="import-row" data-action={r.action}>
              <Table.Td>{r.line}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Badge
                  size="sm"
                  tt="none"
                  color={COLORS[r.action]}
                  variant="light"
                  styles={{ label: { overflow: 'visible' } }}
                >
                  {t(`action.${r.action}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="sm" truncate="end" title={r.name ?? undefined}>
                  {r.name ?? ''}
                </Text>
                <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                  {[...r.emails, ...r.phones].join(' · ')}
                </Text>
                {/* On a phone the problems go under the customer instead of a fourth column. */}
                <Box hiddenFrom="sm" mt={4}>
                  <RowNote r={r} />
                </Box>
              </Table.Td>
              <Table.Td visibleFrom="sm">
                <RowNote r={r} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {rows.length > SHOWN && (
        <Text size="xs" c="dimmed" p="xs">
          {t('more', { count: rows.length - SHOWN })}
        </Text>
      )}
    </Paper>
  );
}
