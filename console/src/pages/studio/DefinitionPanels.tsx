/**
 * The studio's intents and flows tabs: a searchable list of the draft's definitions (and "new"),
 * beside the editor of the one picked.
 */
import { Button, Grid, NavLink, ScrollArea, Stack, Text, TextInput } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import type { Draft } from './api';
import { FlowEditor } from './FlowEditor';
import { IntentEditor } from './IntentEditor';
import { useStudioT } from './texts';

/** The selection that opens an empty editor (no definition can have this name). */
const NEW = '\u0000new';

function DefinitionList({
  names,
  selected,
  onSelect,
  newLabel,
  testId,
}: {
  names: string[];
  selected: string | null;
  onSelect(name: string): void;
  newLabel: string;
  testId: string;
}) {
  const t = useStudioT();
  const [filter, setFilter] = useState('');
  const shown = names.filter((n) => n.includes(filter.trim().toLowerCase()));
  return (
    <Stack gap={4}>
      <Button size="xs" variant="light" onClick={() => onSelect(NEW)} data-testid={`${testId}-new`}>
        {newLabel}
      </Button>
      <TextInput
        size="xs"
        placeholder={t('search')}
        aria-label={t('search')}
        value={filter}
        onChange={(e) => setFilter(e.currentTarget.value)}
      />
      <ScrollArea.Autosize mah={420} type="auto">
        {shown.map((n) => (
          <NavLink
            key={n}
            label={n}
            active={n === selected}
            onClick={() => onSelect(n)}
            py={4}
            data-testid={`${testId}-item`}
            data-name={n}
          />
        ))}
      </ScrollArea.Autosize>
    </Stack>
  );
}

/** The list on the left, the picked definition's editor (or "pick one") on the right. */
function ListAndEditor({ list, editor }: { list: ReactNode; editor: ReactNode }) {
  const t = useStudioT();
  return (
    <Grid>
      <Grid.Col span={{ base: 12, sm: 4 }}>{list}</Grid.Col>
      <Grid.Col span={{ base: 12, sm: 8 }}>
        {editor ?? (
          <Text c="dimmed" size="sm">
            {t('pickOne')}
          </Text>
        )}
      </Grid.Col>
    </Grid>
  );
}

interface PanelProps {
  draft: Draft;
  /** The picked name, NEW, or null when none is picked. */
  selected: string | null;
  onSelect(name: string | null): void;
}

export function IntentsPanel({ draft: d, selected, onSelect }: PanelProps) {
  const t = useStudioT();
  const intent =
    selected && selected !== NEW ? (d.intents.find((i) => i.name === selected) ?? null) : null;
  return (
    <ListAndEditor
      list={
        <DefinitionList
          names={d.intents.map((i) => i.name)}
          selected={selected}
          onSelect={onSelect}
          newLabel={t('newIntent')}
          testId="intent-list"
        />
      }
      editor={
        selected ? (
          <IntentEditor
            key={`${selected}:${d.revision}`}
            intent={intent}
            flows={d.flows.map((f) => f.name)}
            onSaved={onSelect}
          />
        ) : null
      }
    />
  );
}

export function FlowsPanel({ draft: d, selected, onSelect }: PanelProps) {
  const t = useStudioT();
  const flow =
    selected && selected !== NEW ? (d.flows.find((f) => f.name === selected) ?? null) : null;
  return (
    <ListAndEditor
      list={
        <DefinitionList
          names={d.flows.map((f) => f.name)}
          selected={selected}
          onSelect={onSelect}
          newLabel={t('newFlow')}
          testId="flow-list"
        />
      }
      editor={
        selected ? (
          <FlowEditor key={`${selected}:${d.revision}`} flow={flow} onSaved={onSelect} />
        ) : null
      }
    />
  );
}
