import { useMediaQuery } from '@mantine/hooks';

/** Phone width (below Mantine's `sm`, 48em): lists switch from tables to stacked cards. */
export function useNarrow(): boolean {
  return useMediaQuery('(max-width: 48em)', false, { getInitialValueInEffect: false });
}
