/** Whether the draft differs from the live version, and what keeps it from being published. */
import { Alert, Stack, Text } from '@mantine/core';
import type { Draft, Issue } from './api';
import { IssueList } from './IntentEditor';
import { useStudioT } from './texts';

/** `refused`: the problems the last publish was refused for (shown instead of the draft's own). */
export function DraftStatus({ draft: d, refused }: { draft: Draft; refused: Issue[] }) {
  const t = useStudioT();
  return (
    <>
      <Alert
        variant="light"
        color={d.changed ? 'yellow' : 'gray'}
        data-testid="draft-status"
        py={6}
      >
        {d.changed
          ? t('draftChanged', { revision: d.revision, version: d.baseVersion })
          : t('draftClean', { version: d.baseVersion })}
      </Alert>
      {(refused.length > 0 || d.problems.length > 0) && (
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            {t('problems')}
          </Text>
          <IssueList issues={refused.length > 0 ? refused : d.problems} />
        </Stack>
      )}
    </>
  );
}
