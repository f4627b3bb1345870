/** The report of the version just published (accuracy, confusions, thin intents), in a modal. */
import { Button, Group, Modal } from '@mantine/core';
import type { Report } from './api';
import { ReportView } from './ReportView';
import { useStudioT } from './texts';

export function PublishReportModal({
  published,
  onClose,
}: {
  published: { version: number; report: Report } | null;
  onClose(): void;
}) {
  const t = useStudioT();
  return (
    <Modal
      opened={published !== null}
      onClose={onClose}
      title={`${t('report')} · ${t('version')} ${published?.version ?? ''}`}
      size="lg"
    >
      {published && <ReportView report={published.report} />}
      <Group justify="flex-end" mt="sm">
        <Button onClick={onClose} data-testid="report-close">
          {t('close')}
        </Button>
      </Group>
    </Modal>
  );
}
