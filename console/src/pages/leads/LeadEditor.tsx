/**
 * Status, owner, tags, notes and (won leads) amount of a lead (marketers, admins): one PATCH of
 * what changed.
 */
import { Button, NumberInput, Select, Stack, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { patchLead } from './api';
import { useLeadsT } from './texts';
import {
  LEAD_STATUSES,
  type Lead,
  type LeadChanges,
  type LeadOwner,
  type LeadStatus,
} from './types';
import { TagsField } from '../../components/tags-field';

function changesOf(lead: Lead, form: Required<LeadChanges>): LeadChanges {
  const changes: LeadChanges = {};
  if (form.status !== lead.status) changes.status = form.status;
  if (form.owner !== lead.owner) changes.owner = form.owner;
  if ((form.notes ?? '') !== (lead.notes ?? '')) changes.notes = form.notes || null;
  if (JSON.stringify(form.tags) !== JSON.stringify(lead.tags)) changes.tags = form.tags;
  if (form.status === 'won' && form.amount !== lead.amount) changes.amount = form.amount;
  return changes;
}

export function LeadEditor({ lead, owners }: { lead: Lead; owners: LeadOwner[] }) {
  const { t: tc } = useI18n();
  const t = useLeadsT();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Required<LeadChanges>>({
    status: lead.status,
    owner: lead.owner,
    notes: lead.notes ?? '',
    tags: lead.tags,
    amount: lead.amount,
  });
  const changes = changesOf(lead, form);
  const dirty = Object.keys(changes).length > 0;
  const save = useMutation({
    mutationFn: () => patchLead(lead.id, changes),
    onSuccess: () => notifications.show({ color: 'teal', message: t('saved') }),
    onError: (err) =>
      notifications.show({
        color: 'red',
        message: t('saveFailed', { message: err instanceof Error ? err.message : String(err) }),
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['leads'] }),
  });
  const ownerData = owners.map((o) => ({ value: o.id, label: o.name }));
  if (lead.owner && !owners.some((o) => o.id === lead.owner))
    ownerData.push({ value: lead.owner, label: lead.owner });
  return (
    <Stack
      gap="sm"
      component="form"
      onSubmit={(e) => {
        e.preventDefault();
        if (dirty) save.mutate();
      }}
      data-testid="lead-editor"
    >
      <Select
        label={t('status')}
        data={LEAD_STATUSES.map((s) => ({ value: s, label: tc(`lead.${s}`) }))}
        value={form.status}
        onChange={(v) => v && setForm({ ...form, status: v as LeadStatus })}
        allowDeselect={false}
        data-testid="edit-status"
        comboboxProps={{ withinPortal: true }}
      />
      <Select
        label={t('owner')}
        placeholder={t('noOwner')}
        data={ownerData}
        value={form.owner}
        onChange={(v) => setForm({ ...form, owner: v })}
        // Picking the owner it already has changes nothing (only the clear button removes it).
        allowDeselect={false}
        clearable
        searchable
        data-testid="edit-owner"
        comboboxProps={{ withinPortal: true }}
      />
      <TagsField
        label={t('tags')}
        description={t('tagsHint')}
        value={form.tags}
        onChange={(tags) => setForm({ ...form, tags })}
        maxTags={50}
        data-testid="edit-tags"
      />
      <Textarea
        label={t('notes')}
        value={form.notes ?? ''}
        onChange={(e) => setForm({ ...form, notes: e.currentTarget.value })}
        autosize
        minRows={3}
        maxRows={10}
        maxLength={5000}
        data-testid="edit-notes"
      />
      {form.status === 'won' && (
        <NumberInput
          label={t('wonAmount')}
          description={t('wonAmountHint')}
          value={form.amount ?? ''}
          onChange={(v) => setForm({ ...form, amount: typeof v === 'number' ? v : null })}
          min={0}
          decimalScale={2}
          data-testid="edit-amount"
        />
      )}
      <Button type="submit" disabled={!dirty} loading={save.isPending} data-testid="edit-save">
        {t('save')}
      </Button>
    </Stack>
  );
}
