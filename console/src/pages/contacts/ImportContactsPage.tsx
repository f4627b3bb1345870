/**
 * /console/contacts/import (marketers, admins): a CSV of customers, uploaded or pasted; the
 * columns mapped (guessed by the server from Spanish or English headers), a dry run showing what
 * each row would do with its errors, then the import and its summary.
 */
import { Alert, Anchor, Button, FileInput, Group, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { isApiError } from '../../api/client';
import type { ContactImportReport, ImportField } from '../../api/types';
import { PageHeader } from '../../components/page-header';
import { useI18n } from '../../i18n/i18n';
import { importContacts } from './api';
import { MappingTable, ReportTable } from './ImportRows';
import { useImportT, type ContactImportKey } from './import-texts';

type Mapping = Record<string, ImportField>;

const EXPLAINED = new Set([
  'csv_unreadable',
  'csv_empty',
  'too_many_rows',
  'unknown_column',
  'column_mapped_twice',
  'no_email_or_phone_column',
]);

function useFailure() {
  const t = useImportT();
  return (err: unknown) =>
    isApiError(err) && EXPLAINED.has(err.code)
      ? t(`fail.${err.code}` as ContactImportKey)
      : t('failed', { message: err instanceof Error ? err.message : String(err) });
}

function Summary({ report }: { report: ContactImportReport }) {
  const t = useImportT();
  const { summary } = report;
  if (!report.dryRun) {
    return (
      <Alert color="teal" data-testid="import-done" role="status">
        <Stack gap={4}>
          <Text size="sm">{t('done', { ...summary })}</Text>
          <Anchor component={Link} to="/contacts" size="sm">
            {t('doneLink')}
          </Anchor>
        </Stack>
      </Alert>
    );
  }
  return (
    <Text size="sm" fw={600} data-testid="import-summary" role="status">
      {t('summary', { ...summary })}
      {summary.errors > 0 && ` ${t('errorsLeftOut')}`}
    </Text>
  );
}

export default function ImportContactsPage() {
  const t = useImportT();
  const { t: tg } = useI18n();
  const failure = useFailure();
  const queryClient = useQueryClient();
  const [csv, setCsv] = useState('');
  const [mapping, setMapping] = useState<Mapping | undefined>();
  const [report, setReport] = useState<ContactImportReport | undefined>();
  const run = useMutation({
    mutationFn: (args: { mapping?: Mapping; dryRun: boolean }) => importContacts({ csv, ...args }),
    onSuccess: (r) => {
      setReport(r);
      setMapping(Object.fromEntries(r.columns.map((c) => [c.header, c.field])));
      if (!r.dryRun) void queryClient.invalidateQueries({ queryKey: ['contacts'] });
    },
  });
  const changeCsv = (text: string) => {
    setCsv(text);
    setMapping(undefined);
    setReport(undefined);
    run.reset();
  };
  const remap = (header: string, field: ImportField) => {
    const next = { ...mapping, [header]: field };
    setMapping(next);
    run.mutate({ mapping: next, dryRun: true });
  };
  const count = report ? report.summary.created + report.summary.updated : 0;
  const done = report && !report.dryRun;
  return (
    <Stack gap="md" maw={960}>
      <Anchor component={Link} to="/contacts" size="sm">
        ← {tg('contacts.title')}
      </Anchor>
      <PageHeader title={t('title')} />
      <Text size="sm" c="dimmed">
        {t('intro')}
      </Text>
      {!done && (
        <>
          <FileInput
            label={t('file')}
            accept=".csv,text/csv,text/plain"
            clearable
            onChange={(file) => void file?.text().then(changeCsv)}
            data-testid="import-file"
          />
          <Textarea
            label={t('paste')}
            value={csv}
            onChange={(e) => changeCsv(e.currentTarget.value)}
            autosize
            minRows={4}
            maxRows={10}
            styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
            data-testid="import-csv"
          />
          <Group>
            <Button
              variant={report ? 'default' : 'filled'}
              onClick={() => run.mutate({ mapping, dryRun: true })}
              loading={run.isPending && run.variables?.dryRun}
              disabled={!csv.trim()}
              data-testid="import-check"
            >
              {report ? t('checkAgain') : t('check')}
            </Button>
          </Group>
        </>
      )}
      {run.isError && (
        <Alert color="red" role="alert" data-testid="import-error">
          {failure(run.error)}
        </Alert>
      )}
      {report && (
        <>
          {!done && <MappingTable columns={report.columns} onChange={remap} />}
          <Summary report={report} />
          <ReportTable rows={report.rows} />
          {done ? (
            <Group>
              <Button variant="default" onClick={() => changeCsv('')}>
                {t('anotherFile')}
              </Button>
            </Group>
          ) : (
            <Group>
              <Button
                onClick={() => run.mutate({ mapping, dryRun: false })}
                loading={run.isPending && run.variables?.dryRun === false}
                disabled={count === 0 || run.isPending}
                data-testid="import-run"
              >
                {count === 0 ? t('importNothing') : t('import', { count })}
              </Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}
