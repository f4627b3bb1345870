/** A page's <h1> with optional actions on the right; the title truncates on narrow screens. */
import { Group, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Group justify="space-between" mb="md" wrap="wrap" gap="sm">
      <Title
        order={1}
        fz={{ base: 'h3', sm: 'h2' }}
        lineClamp={3}
        title={title}
        style={{ minWidth: 0, overflowWrap: 'anywhere' }}
      >
        {title}
      </Title>
      {children && (
        <Group gap="xs" wrap="wrap">
          {children}
        </Group>
      )}
    </Group>
  );
}
