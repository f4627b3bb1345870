/** The dry run's rows with problems: line, field, what is wrong, the cell as read. */
import { Table, Text, Title } from '@mantine/core';
import type { OrdersCsvResult } from './api';
import { useOrdersT } from './texts';

export function CsvErrors({ report }: { report: OrdersCsvResult }) {
  const t = useOrdersT();
  const { errors, errorCount } = report;
  return (
    <section aria-labelledby="csv-errors-title">
      <Title order={2} size="h4" mb="xs" id="csv-errors-title">
        {t('errorsTitle')}
      </Title>
      {errorCount > errors.length && (
        <Text size="sm" c="dimmed" mb="xs">
          {t('errorsMore', { shown: errors.length, count: errorCount })}
        </Text>
      )}
      <div className="table-scroll">
        <Table fz="sm" striped data-testid="csv-errors">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('line')}</Table.Th>
              <Table.Th>{t('field')}</Table.Th>
              <Table.Th>{t('problem')}</Table.Th>
              <Table.Th>{t('value')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {errors.map((e, i) => (
              <Table.Tr key={`${e.line}-${e.field}-${i}`} data-line={e.line}>
                <Table.Td>{e.line}</Table.Td>
                <Table.Td>{t(`field.${e.field}`)}</Table.Td>
                <Table.Td>{t(`code.${e.code}`, { value: e.value })}</Table.Td>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>
                  {e.code === 'duplicate_external_id' ? '' : e.value}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
    </section>
  );
}
