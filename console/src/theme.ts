import { Alert, createTheme } from '@mantine/core';

/** Blue 7 on white keeps links and primary buttons above WCAG AA contrast. */
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 7,
  defaultRadius: 'md',
  components: {
    // Coloured alert titles (yellow on light yellow) fall below AA contrast: keep them dark.
    Alert: Alert.extend({ styles: { title: { color: 'var(--mantine-color-text)' } } }),
  },
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
});
