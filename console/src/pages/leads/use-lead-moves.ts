/**
 * Moving leads between statuses: one lead from the board (optimistic — the card moves at once
 * and goes back, with a message saying so, if the PATCH fails) and many from the table (bulk).
 */
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { bulkSetStatus, patchLead } from './api';
import type { Board } from './LeadBoard';
import { useLeadsT } from './texts';
import type { Lead, LeadStatus } from './types';

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The board with `lead` taken out of its column and put first in `to`. */
export function moveOnBoard(board: Board, lead: Lead, to: LeadStatus): Board {
  const from = lead.status;
  return {
    ...board,
    [from]: {
      items: board[from].items.filter((l) => l.id !== lead.id),
      total: Math.max(0, board[from].total - 1),
    },
    [to]: { items: [{ ...lead, status: to }, ...board[to].items], total: board[to].total + 1 },
  };
}

export function useBoardMove(boardKey: QueryKey) {
  const queryClient = useQueryClient();
  const { t: tc } = useI18n();
  const t = useLeadsT();
  const [error, setError] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: ({ lead, to }: { lead: Lead; to: LeadStatus }) =>
      patchLead(lead.id, { status: to }),
    onMutate: async ({ lead, to }) => {
      setError(null);
      await queryClient.cancelQueries({ queryKey: boardKey });
      const previous = queryClient.getQueryData<Board>(boardKey);
      if (previous) queryClient.setQueryData<Board>(boardKey, moveOnBoard(previous, lead, to));
      return { previous };
    },
    onError: (err, { lead, to }, context) => {
      if (context?.previous) queryClient.setQueryData(boardKey, context.previous);
      setError(
        t('moveFailed', {
          name: lead.name || t('unnamed'),
          status: tc(`lead.${to}`),
          from: tc(`lead.${lead.status}`),
          message: messageOf(err),
        }),
      );
    },
    onSuccess: (_lead, { lead, to }) =>
      notifications.show({
        color: 'teal',
        message: t('moved', { name: lead.name || t('unnamed'), status: tc(`lead.${to}`) }),
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['leads'] }),
  });
  return {
    move: (lead: Lead, to: LeadStatus) => mutation.mutate({ lead, to }),
    error,
    dismiss: () => setError(null),
  };
}

export function useBulkStatus() {
  const queryClient = useQueryClient();
  const { t: tc } = useI18n();
  const t = useLeadsT();
  const mutation = useMutation({
    mutationFn: ({ ids, status }: { ids: string[]; status: LeadStatus }) =>
      bulkSetStatus(ids, status),
    onSuccess: (res, { status }) =>
      notifications.show({
        color: 'teal',
        message: t('bulkDone', { count: res.updated, status: tc(`lead.${status}`) }),
      }),
    onError: (err) =>
      notifications.show({ color: 'red', message: t('bulkFailed', { message: messageOf(err) }) }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['leads'] }),
  });
  return {
    apply: (ids: string[], status: LeadStatus) => mutation.mutateAsync({ ids, status }),
    busy: mutation.isPending,
  };
}
