/**
 * The board: one column per status, each scrolling on its own. Marketers and admins drag a card
 * to another column with the mouse, touch or keyboard (Space, ←/→, Space; @dnd-kit's
 * KeyboardSensor with a getter that jumps column to column); viewers see it without drag. At
 * phone width one column is shown at a time (a picker) and each card has a "Move to" menu.
 */
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  rectIntersection,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
  type DragStartEvent,
  type KeyboardCoordinateGetter,
} from '@dnd-kit/core';
import { Badge, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { Page } from '../../api/types';
import { useNarrow } from '../../components/use-narrow';
import { useI18n } from '../../i18n/i18n';
import { LeadCardBody, LeadCardFrame } from './LeadCard';
import { useLeadsT } from './texts';
import { LEAD_STATUSES, type Lead, type LeadStatus } from './types';

export type Board = Record<LeadStatus, Page<Lead>>;

interface BoardProps {
  board: Board;
  editable: boolean;
  ownerName(id: string | null): string | undefined;
  onMove(lead: Lead, to: LeadStatus): void;
}

/** ←/→ put the dragged card over the previous/next column; other keys do nothing. */
const columnJump: KeyboardCoordinateGetter = (event, { context, currentCoordinates }) => {
  const step = event.code === 'ArrowRight' ? 1 : event.code === 'ArrowLeft' ? -1 : 0;
  if (step === 0) return undefined;
  const from = (context.over?.id ?? context.active?.data.current?.status) as LeadStatus;
  const target = LEAD_STATUSES[LEAD_STATUSES.indexOf(from) + step];
  const rect = target ? context.droppableRects.get(target) : undefined;
  if (!rect) return currentCoordinates;
  const card = context.collisionRect;
  const width = card?.width ?? 0;
  const height = card?.height ?? 0;
  return {
    x: rect.left + Math.max(0, (rect.width - width) / 2),
    y: Math.max(rect.top, Math.min(currentCoordinates.y, rect.top + rect.height - height)),
  };
};

function DraggableCard({ lead, ownerName }: { lead: Lead; ownerName?: string }) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, isDragging } = useDraggable({
    id: lead.id,
    data: { lead, status: lead.status },
  });
  return (
    <LeadCardFrame
      lead={lead}
      innerRef={(el: HTMLDivElement | null) => {
        setNodeRef(el);
        setActivatorNodeRef(el);
      }}
      style={{ opacity: isDragging ? 0.4 : 1, cursor: 'grab', touchAction: 'none' }}
      {...attributes}
      {...listeners}
    >
      <LeadCardBody lead={lead} ownerName={ownerName} />
    </LeadCardFrame>
  );
}

function Column({
  status,
  page,
  props,
  draggable,
  showTitle,
}: {
  status: LeadStatus;
  page: Page<Lead>;
  props: BoardProps;
  draggable: boolean;
  showTitle: boolean;
}) {
  const { t: tc } = useI18n();
  const t = useLeadsT();
  const { setNodeRef, isOver } = useDroppable({ id: status, disabled: !draggable });
  const titleId = `board-column-${status}`;
  return (
    <Paper
      ref={setNodeRef}
      component="section"
      aria-labelledby={titleId}
      withBorder
      radius="md"
      p="xs"
      bg={isOver ? 'blue.0' : 'gray.0'}
      data-testid="board-column"
      data-status={status}
      style={{ flex: '1 1 0', minWidth: 0, display: 'flex', flexDirection: 'column' }}
    >
      <Group gap="xs" mb="xs" wrap="nowrap" className={showTitle ? undefined : 'visually-hidden'}>
        <Title order={2} size="h6" id={titleId}>
          {tc(`lead.${status}`)}
        </Title>
        <Badge size="sm" variant="default" data-testid="column-total">
          {page.total}
        </Badge>
      </Group>
      <Stack
        gap="xs"
        className="board-column-body"
        component="ul"
        p={0}
        m={0}
        style={{ listStyle: 'none' }}
      >
        {page.items.length === 0 && (
          <Text size="xs" c="dimmed" ta="center" py="md" component="li">
            {t('columnEmpty')}
          </Text>
        )}
        {page.items.map((lead) => (
          <li key={lead.id}>
            {draggable ? (
              <DraggableCard lead={lead} ownerName={props.ownerName(lead.owner)} />
            ) : (
              <LeadCardFrame lead={lead}>
                <LeadCardBody
                  lead={lead}
                  ownerName={props.ownerName(lead.owner)}
                  onMove={props.editable ? (to) => props.onMove(lead, to) : undefined}
                />
              </LeadCardFrame>
            )}
          </li>
        ))}
        {page.total > page.items.length && (
          <Text size="xs" c="dimmed" component="li">
            {t('columnMore', { shown: page.items.length, total: page.total })}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

function useAnnouncements(board: Board): Announcements {
  const { t: tc } = useI18n();
  const t = useLeadsT();
  const nameOf = (id: string | number) => {
    for (const s of LEAD_STATUSES) {
      const lead = board[s].items.find((l) => l.id === id);
      if (lead) return lead.name || t('unnamed');
    }
    return String(id);
  };
  const status = (id: string | number | undefined) =>
    id === undefined ? '' : tc(`lead.${id as LeadStatus}`);
  return {
    onDragStart: ({ active }) =>
      t('dragStart', {
        name: nameOf(active.id),
        status: status(active.data.current?.status as string),
      }),
    onDragOver: ({ active, over }) =>
      over
        ? t('dragOver', { name: nameOf(active.id), status: status(over.id) })
        : t('dragOutside', { name: nameOf(active.id) }),
    onDragEnd: ({ active, over }) =>
      over
        ? t('dragEnd', { name: nameOf(active.id), status: status(over.id) })
        : t('dragCancel', { name: nameOf(active.id) }),
    onDragCancel: ({ active }) => t('dragCancel', { name: nameOf(active.id) }),
  };
}

export function LeadBoard(props: BoardProps) {
  const { board, editable } = props;
  const { t: tc } = useI18n();
  const t = useLeadsT();
  const narrow = useNarrow();
  const [picked, setPicked] = useState<LeadStatus>('new');
  const [dragged, setDragged] = useState<Lead | null>(null);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: columnJump }),
  );
  const announcements = useAnnouncements(board);
  const draggable = editable && !narrow;

  const onDragStart = (e: DragStartEvent) =>
    setDragged((e.active.data.current?.lead as Lead) ?? null);
  const onDragEnd = (e: DragEndEvent) => {
    setDragged(null);
    const lead = e.active.data.current?.lead as Lead | undefined;
    const to = e.over?.id as LeadStatus | undefined;
    if (lead && to && to !== lead.status) props.onMove(lead, to);
  };

  if (narrow) {
    return (
      <Stack gap="sm" data-testid="lead-board" data-mode="picker">
        <Select
          label={t('column')}
          data={LEAD_STATUSES.map((s) => ({
            value: s,
            label: t('columnOption', { status: tc(`lead.${s}`), count: board[s].total }),
          }))}
          value={picked}
          onChange={(v) => v && setPicked(v as LeadStatus)}
          allowDeselect={false}
          data-testid="column-picker"
          comboboxProps={{ withinPortal: true }}
        />
        <Column
          status={picked}
          page={board[picked]}
          props={props}
          draggable={false}
          showTitle={false}
        />
      </Stack>
    );
  }

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={rectIntersection}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      onDragCancel={() => setDragged(null)}
      accessibility={{ announcements, screenReaderInstructions: { draggable: t('dragHint') } }}
    >
      <div className="lead-board" data-testid="lead-board" data-mode="columns">
        {LEAD_STATUSES.map((s) => (
          <Column
            key={s}
            status={s}
            page={board[s]}
            props={props}
            draggable={draggable}
            showTitle
          />
        ))}
      </div>
      <DragOverlay>
        {dragged && (
          <LeadCardFrame lead={dragged} dragging style={{ cursor: 'grabbing' }}>
            <LeadCardBody lead={dragged} ownerName={props.ownerName(dragged.owner)} />
          </LeadCardFrame>
        )}
      </DragOverlay>
    </DndContext>
  );
}
