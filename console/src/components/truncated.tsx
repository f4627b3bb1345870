/** One line of text that never breaks a layout: cut with an ellipsis, the whole text in `title`. */
import { Text, type TextProps } from '@mantine/core';

export function Truncated({ children, ...props }: TextProps & { children: string }) {
  return (
    <Text truncate="end" title={children} {...props} style={{ minWidth: 0, ...props.style }}>
      {children}
    </Text>
  );
}
