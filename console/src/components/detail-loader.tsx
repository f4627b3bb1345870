/**
 * The frame every record page (conversation, contact, lead, case) shows around its record: a back
 * link to its list, the loading state while the record comes, the error state (with retry) when
 * it does not, then `children(record, backLink)`.
 */
import { Anchor, Stack } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ErrorState, LoadingState } from './states';

export function DetailLoader<T>({
  query,
  backTo,
  backLabel,
  children,
}: {
  query: UseQueryResult<T>;
  backTo: string;
  backLabel: string;
  children(record: T, back: ReactNode): ReactNode;
}) {
  const back = (
    <Anchor component={Link} to={backTo} size="sm">
      ← {backLabel}
    </Anchor>
  );
  if (query.isPending) return <LoadingState rows={10} />;
  if (query.isError)
    return (
      <Stack>
        {back}
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      </Stack>
    );
  return <>{children(query.data, back)}</>;
}
