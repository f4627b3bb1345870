/** Previous/next paging for {items, total} lists (limit/offset in the URL). */
import { Button, Group, Text } from '@mantine/core';
import { useI18n } from '../i18n/i18n';

export function Pager({
  offset,
  limit,
  total,
  onOffset,
}: {
  offset: number;
  limit: number;
  total: number;
  onOffset(offset: number): void;
}) {
  const { t } = useI18n();
  if (total <= limit && offset === 0) return null;
  const from = Math.min(total, offset + 1);
  const to = Math.min(total, offset + limit);
  return (
    <Group justify="space-between" mt="sm" wrap="wrap">
      <Text size="sm" c="dimmed">
        {t('pager.range', { from, to, total })}
      </Text>
      <Group gap="xs">
        <Button
          size="xs"
          variant="default"
          disabled={offset === 0}
          onClick={() => onOffset(Math.max(0, offset - limit))}
        >
          {t('pager.previous')}
        </Button>
        <Button
          size="xs"
          variant="default"
          disabled={offset + limit >= total}
          onClick={() => onOffset(offset + limit)}
        >
          {t('pager.next')}
        </Button>
      </Group>
    </Group>
  );
}
