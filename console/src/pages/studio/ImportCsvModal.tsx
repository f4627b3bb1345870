/** FAQ in bulk: a CSV of questions and answers into answer intents of the draft, with a per-row report. */
import { Badge, Button, FileInput, Modal, Stack, Table, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { importFaq } from './api';
import { IssueList } from './IntentEditor';
import { useStudioT } from './texts';

export function ImportCsvModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const t = useStudioT();
  const queryClient = useQueryClient();
  const [csv, setCsv] = useState('');
  const run = useMutation({
    mutationFn: () => importFaq(csv),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['studio', 'draft'] }),
  });
  const report = run.data;
  return (
    <Modal opened={opened} onClose={onClose} title={t('csvTitle')} size="lg">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('csvHelp')}
        </Text>
        <FileInput
          label={t('csvFile')}
          accept=".csv,text/csv"
          onChange={(file) => void file?.text().then(setCsv)}
        />
        <Textarea
          label={t('csvText')}
          value={csv}
          onChange={(e) => setCsv(e.currentTarget.value)}
          autosize
          minRows={4}
          maxRows={10}
          styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
          data-testid="csv-text"
        />
        <Button
          onClick={() => run.mutate()}
          loading={run.isPending}
          disabled={!csv.trim()}
          data-testid="csv-import"
        >
          {t('import')}
        </Button>
        {run.isError && <IssueList issues={[{ path: '', message: run.error.message }]} />}
        {report && (
          <>
            <Text size="sm" fw={600} data-testid="csv-summary">
              {t('importDone', {
                created: report.created.length,
                updated: report.updated.length,
                errors: report.rows.filter((r) => r.status === 'error').length,
              })}
            </Text>
            <div className="table-scroll">
              <Table fz="xs">
                <Table.Tbody>
                  {report.rows.map((r) => (
                    <Table.Tr key={r.line}>
                      <Table.Td>{t('line', { line: r.line })}</Table.Td>
                      <Table.Td>{r.intent}</Table.Td>
                      <Table.Td>
                        <Badge size="sm" tt="none" color={r.status === 'error' ? 'red' : 'teal'}>
                          {t(`status.${r.status}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        {r.errors?.map((e) => `${e.path}: ${e.message}`).join('; ')}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </div>
          </>
        )}
      </Stack>
    </Modal>
  );
}
