/** A button that opens a dialog; the dialog's content is mounted only while it is open. */
import { Button, Modal, type ButtonProps } from '@mantine/core';
import { useState, type ReactNode } from 'react';

export function DialogButton({
  label,
  title,
  variant,
  testId,
  children,
}: {
  label: string;
  title: string;
  variant?: ButtonProps['variant'];
  testId?: string;
  /** The dialog's content; `close` shuts the dialog. */
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const close = () => setOpen(false);
  return (
    <>
      <Button variant={variant} onClick={() => setOpen(true)} data-testid={testId}>
        {label}
      </Button>
      <Modal opened={open} onClose={close} title={title} size="lg">
        {open && children(close)}
      </Modal>
    </>
  );
}
