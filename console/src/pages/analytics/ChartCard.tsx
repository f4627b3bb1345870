/** A chart (or table) in a card: its heading and a button that downloads its data as CSV. */
import { Button, Group, Paper, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { downloadCsv, toCsv } from './csv';
import { useAnalyticsT } from './texts';

export interface ChartData {
  header: string[];
  rows: Array<Array<string | number | null>>;
}

export function ChartCard({
  title,
  file,
  data,
  children,
}: {
  title: string;
  file: string;
  data: ChartData;
  children: ReactNode;
}) {
  const t = useAnalyticsT();
  return (
    <Paper withBorder radius="md" p="md" style={{ minWidth: 0 }}>
      <Group justify="space-between" mb="sm" wrap="wrap" gap="xs">
        <Title order={2} size="h4" style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
          {title}
        </Title>
        <Button
          size="xs"
          variant="light"
          aria-label={t('csvOf', { chart: title })}
          onClick={() => downloadCsv(`${file}.csv`, toCsv(data.header, data.rows))}
        >
          {t('csv')}
        </Button>
      </Group>
      {children}
    </Paper>
  );
}
