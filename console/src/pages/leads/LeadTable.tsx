/**
 * The table view: sortable headers (sort/order in the URL), and for marketers and admins a
 * checkbox per row and a bulk status change of the selected leads.
 */
import {
  Button,
  Checkbox,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { ChannelBadge, ValueBadge } from '../../components/badges';
import { Truncated } from '../../components/truncated';
import { useI18n } from '../../i18n/i18n';
import { ScoreBadge } from './LeadCard';
import { CustomerValueBadge } from './CustomerValue';
import { PropensityBadge } from './Propensity';
import { useLeadsT, type LeadsKey } from './texts';
import { LEAD_STATUSES, type Lead, type LeadStatus } from './types';

export type SortField = 'name' | 'status' | 'score' | 'createdAt' | 'updatedAt';
export interface SortState {
  sort: SortField;
  order: 'asc' | 'desc';
}

function SortHeader({
  field,
  label,
  sort,
  onSort,
  visibleFrom,
}: {
  field: SortField;
  label: LeadsKey;
  sort: SortState;
  onSort(s: SortState): void;
  visibleFrom?: 'sm' | 'md';
}) {
  const t = useLeadsT();
  const active = sort.sort === field;
  const next: SortState = {
    sort: field,
    order:
      active && sort.order === 'asc' ? 'desc' : active ? 'asc' : field === 'name' ? 'asc' : 'desc',
  };
  return (
    <Table.Th
      visibleFrom={visibleFrom}
      aria-sort={active ? (sort.order === 'asc' ? 'ascending' : 'descending') : 'none'}
    >
      <UnstyledButton
        onClick={() => onSort(next)}
        fw={600}
        fz="sm"
        aria-label={t('sortBy', { column: t(label) })}
        data-testid={`sort-${field}`}
      >
        {t(label)} {active ? (sort.order === 'asc' ? '▲' : '▼') : ''}
      </UnstyledButton>
    </Table.Th>
  );
}

function BulkBar({
  count,
  busy,
  onApply,
}: {
  count: number;
  busy: boolean;
  onApply(status: LeadStatus): void;
}) {
  const { t: tc } = useI18n();
  const t = useLeadsT();
  const [status, setStatus] = useState<LeadStatus | null>(null);
  return (
    <Group gap="sm" mb="sm" align="flex-end" wrap="wrap" data-testid="bulk-bar">
      <Text size="sm" fw={600} data-testid="bulk-count">
        {t('selected', { count })}
      </Text>
      <Select
        label={t('bulkStatus')}
        size="xs"
        data={LEAD_STATUSES.map((s) => ({ value: s, label: tc(`lead.${s}`) }))}
        value={status}
        onChange={(v) => setStatus(v as LeadStatus | null)}
        data-testid="bulk-status"
        comboboxProps={{ withinPortal: true }}
        w={180}
      />
      <Button
        size="xs"
        disabled={!status || count === 0}
        loading={busy}
        onClick={() => status && onApply(status)}
        data-testid="bulk-apply"
      >
        {t('bulkApply')}
      </Button>
    </Group>
  );
}

function Row({
  lead,
  ownerName,
  selectable,
  selected,
  onSelect,
}: {
  lead: Lead;
  ownerName?: string;
  selectable: boolean;
  selected: boolean;
  onSelect(on: boolean): void;
}) {
  const t = useLeadsT();
  const { formatDate } = useI18n();
  const name = lead.name || t('unnamed');
  return (
    <Table.Tr data-testid="lead-row" data-lead-id={lead.id} data-status={lead.status}>
      {selectable && (
        <Table.Td w={36}>
          <Checkbox
            aria-label={t('selectLead', { name })}
            checked={selected}
            onChange={(e) => onSelect(e.currentTarget.checked)}
            data-testid="lead-select"
          />
        </Table.Td>
      )}
      <Table.Td maw={0} w={{ base: '100%', sm: '40%' }}>
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Text
            component={Link}
            to={`/leads/${lead.id}`}
            fw={600}
            size="sm"
            truncate="end"
            title={name}
            aria-label={t('open', { name })}
            c="blue.8"
          >
            {name}
          </Text>
          {(lead.company || lead.email) && (
            <Truncated size="xs" c="dimmed">
              {lead.company || lead.email || ''}
            </Truncated>
          )}
          <Group gap={4} hiddenFrom="sm" wrap="wrap">
            <ValueBadge prefix="lead" value={lead.status} color="violet" />
            <ScoreBadge score={lead.score} />
            <PropensityBadge lead={lead} />
            <CustomerValueBadge lead={lead} />
            <ChannelBadge channel={lead.channel} />
          </Group>
        </Stack>
      </Table.Td>
      <Table.Td visibleFrom="sm">
        <ValueBadge prefix="lead" value={lead.status} color="violet" />
      </Table.Td>
      <Table.Td visibleFrom="sm">
        <ScoreBadge score={lead.score} />
      </Table.Td>
      <Table.Td visibleFrom="sm">
        <PropensityBadge lead={lead} />
      </Table.Td>
      <Table.Td visibleFrom="sm">
        <CustomerValueBadge lead={lead} />
      </Table.Td>
      <Table.Td visibleFrom="md">
        <ChannelBadge channel={lead.channel} />
      </Table.Td>
      <Table.Td visibleFrom="md" maw={160}>
        <Truncated size="xs">{ownerName ?? t('noOwner')}</Truncated>
      </Table.Td>
      <Table.Td visibleFrom="sm">
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {formatDate(lead.createdAt)}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

export function LeadTable({
  items,
  sort,
  onSort,
  editable,
  ownerName,
  onBulkStatus,
  bulkBusy,
}: {
  items: Lead[];
  sort: SortState;
  onSort(s: SortState): void;
  editable: boolean;
  ownerName(id: string | null): string | undefined;
  onBulkStatus(ids: string[], status: LeadStatus): Promise<unknown>;
  bulkBusy: boolean;
}) {
  const t = useLeadsT();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const shown = items.filter((l) => selected.has(l.id)).map((l) => l.id);
  const all = items.length > 0 && shown.length === items.length;
  const toggle = (id: string, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  return (
    <>
      {editable && shown.length > 0 && (
        <BulkBar
          count={shown.length}
          busy={bulkBusy}
          onApply={(status) =>
            void onBulkStatus(shown, status).then(
              () => setSelected(new Set()),
              () => undefined,
            )
          }
        />
      )}
      <Paper withBorder radius="md" className="table-scroll">
        <Table verticalSpacing="sm" highlightOnHover data-testid="lead-table">
          <Table.Thead>
            <Table.Tr>
              {editable && (
                <Table.Th w={36}>
                  <Checkbox
                    aria-label={t('selectAll')}
                    checked={all}
                    indeterminate={shown.length > 0 && !all}
                    onChange={(e) =>
                      setSelected(new Set(e.currentTarget.checked ? items.map((l) => l.id) : []))
                    }
                    data-testid="lead-select-all"
                  />
                </Table.Th>
              )}
              <SortHeader field="name" label="name" sort={sort} onSort={onSort} />
              <SortHeader
                field="status"
                label="status"
                sort={sort}
                onSort={onSort}
                visibleFrom="sm"
              />
              <SortHeader
                field="score"
                label="score"
                sort={sort}
                onSort={onSort}
                visibleFrom="sm"
              />
              <Table.Th visibleFrom="sm">{t('propensity')}</Table.Th>
              <Table.Th visibleFrom="sm">{t('customerValue')}</Table.Th>
              <Table.Th visibleFrom="md">{t('channel')}</Table.Th>
              <Table.Th visibleFrom="md">{t('owner')}</Table.Th>
              <SortHeader
                field="createdAt"
                label="created"
                sort={sort}
                onSort={onSort}
                visibleFrom="sm"
              />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((lead) => (
              <Row
                key={lead.id}
                lead={lead}
                ownerName={ownerName(lead.owner)}
                selectable={editable}
                selected={selected.has(lead.id)}
                onSelect={(on) => toggle(lead.id, on)}
              />
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </>
  );
}
