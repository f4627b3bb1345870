/**
 * A list's filters: always shown on wide screens; on a phone folded behind a "Filters (n)"
 * button so the list itself is what one sees first.
 */
import { Button, Collapse } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import { useNarrow } from './use-narrow';

export function FilterPanel({
  activeCount,
  children,
}: {
  activeCount: number;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const narrow = useNarrow();
  const [opened, { toggle }] = useDisclosure(false);
  if (!narrow) return <>{children}</>;
  return (
    <>
      <Button
        variant="default"
        size="xs"
        mb="sm"
        onClick={toggle}
        aria-expanded={opened}
        aria-controls="list-filters"
        data-testid="filters-toggle"
      >
        {activeCount > 0
          ? t('filter.activeCount', { count: activeCount })
          : opened
            ? t('filter.hide')
            : t('filter.show')}
      </Button>
      <Collapse in={opened} id="list-filters">
        {children}
      </Collapse>
    </>
  );
}
