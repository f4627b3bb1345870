/**
 * /console/orders/import (marketer, admin): a shop's CSV of orders — load or paste it, map its
 * columns (guessed from the header by the server), check it with a dry run that lists each bad
 * row, then import it (only a checked file without problems; the same file again changes
 * nothing). The server refits the customer value model after an import.
 */
import {
  Alert,
  Button,
  FileInput,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { PageHeader } from '../../components/page-header';
import { CSV_FIELDS, importOrdersCsv, type CsvMapping, type OrdersCsvResult } from './api';
import { CsvErrors } from './CsvErrors';
import { useOrdersT } from './texts';

function MappingForm({
  columns,
  mapping,
  baseCurrency,
  onChange,
}: {
  columns: string[];
  mapping: CsvMapping;
  baseCurrency: string;
  onChange(mapping: CsvMapping): void;
}) {
  const t = useOrdersT();
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb={4}>
        {t('mappingTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('mappingHint', { currency: baseCurrency })}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
        {CSV_FIELDS.map(({ field, required }) => (
          <Select
            key={field}
            label={t(`field.${field}`)}
            withAsterisk={required}
            placeholder={t('notMapped')}
            data={columns}
            value={mapping[field] ?? null}
            clearable
            allowDeselect
            onChange={(col) => {
              const next = { ...mapping };
              if (col) next[field] = col;
              else delete next[field];
              onChange(next);
            }}
            data-testid={`map-${field}`}
          />
        ))}
      </SimpleGrid>
    </Paper>
  );
}

function Summary({ report }: { report: OrdersCsvResult }) {
  const t = useOrdersT();
  const result = report.result;
  if (result) {
    return (
      <Alert color="teal" data-testid="import-done">
        <Text size="sm">
          {t('done', {
            created: result.created,
            updated: result.updated,
            unchanged: result.unchanged,
            contacts: result.contactsCreated,
          })}
        </Text>
        {result.created + result.updated > 0 && <Text size="sm">{t('refit')}</Text>}
      </Alert>
    );
  }
  return (
    <Alert color={report.errorCount > 0 ? 'orange' : 'blue'} data-testid="dry-run-summary">
      <Text size="sm">
        {t('checked', {
          rows: report.rows,
          valid: report.valid,
          existing: report.existing,
          errors: report.errorCount,
        })}
      </Text>
      {report.errorCount === 0 && <Text size="sm">{t('noErrors')}</Text>}
    </Alert>
  );
}

export default function OrdersImportPage() {
  const t = useOrdersT();
  const [csv, setCsv] = useState('');
  const [mapping, setMapping] = useState<CsvMapping | undefined>(undefined);
  const [checked, setChecked] = useState<{ csv: string; mapping: CsvMapping } | null>(null);
  const run = useMutation({
    mutationFn: (dryRun: boolean) => importOrdersCsv(csv, mapping, dryRun),
    onSuccess: (report) => {
      setMapping(report.mapping);
      setChecked(
        report.dryRun && report.errorCount === 0 ? { csv, mapping: report.mapping } : null,
      );
    },
  });
  const report = run.data;
  const changeCsv = (text: string) => {
    setCsv(text);
    setMapping(undefined);
    setChecked(null);
    run.reset();
  };
  const ready =
    checked !== null &&
    checked.csv === csv &&
    JSON.stringify(checked.mapping) === JSON.stringify(mapping);
  const stale = report?.dryRun === true && report.errorCount === 0 && !ready;
  return (
    <Stack gap="md" maw={1100}>
      <PageHeader title={t('title')} />
      <Text size="sm" c="dimmed">
        {t('intro')}
      </Text>
      <FileInput
        label={t('file')}
        accept=".csv,text/csv"
        onChange={(file) => void file?.text().then(changeCsv)}
        data-testid="csv-file"
      />
      <Textarea
        label={t('text')}
        value={csv}
        onChange={(e) => changeCsv(e.currentTarget.value)}
        autosize
        minRows={4}
        maxRows={12}
        styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
        data-testid="csv-text"
      />
      {report && mapping && (
        <MappingForm
          columns={report.columns}
          mapping={mapping}
          baseCurrency={report.baseCurrency}
          onChange={setMapping}
        />
      )}
      <Group gap="sm">
        <Button
          variant={ready ? 'default' : 'filled'}
          onClick={() => run.mutate(true)}
          loading={run.isPending && run.variables}
          disabled={!csv.trim()}
          data-testid="csv-check"
        >
          {mapping ? t('check') : t('read')}
        </Button>
        <Button
          onClick={() => run.mutate(false)}
          loading={run.isPending && !run.variables}
          disabled={!ready || run.isPending}
          data-testid="csv-import"
        >
          {report?.valid === 1 ? t('importOne') : t('import', { count: report?.valid ?? 0 })}
        </Button>
      </Group>
      {run.isError && (
        <Alert color="red" role="alert">
          {run.error.message}
        </Alert>
      )}
      {stale && <Text size="sm">{t('changed')}</Text>}
      {report && <Summary report={report} />}
      {report && report.errors.length > 0 && <CsvErrors report={report} />}
    </Stack>
  );
}
