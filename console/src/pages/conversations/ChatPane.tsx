/**
 * The chat: the transcript scrolls inside the pane, newest at the bottom, with the composer
 * pinned under it. The view jumps to the newest message when the page opens and whenever a new
 * message arrives (the live stream refetches the conversation).
 */
import { Box, Paper } from '@mantine/core';
import { useLayoutEffect, useRef } from 'react';
import type { ConversationDetail } from '../../api/types';
import { AgentActions } from './AgentActions';
import { Transcript } from './Transcript';

export function ChatPane({ c }: { c: ConversationDetail }) {
  const pane = useRef<HTMLDivElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const newest = c.messages.at(-1)?.id;
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [c.id, newest]);
  // On open, the whole pane (composer included) in view, even under a long title on a phone.
  useLayoutEffect(() => {
    pane.current?.scrollIntoView?.({ block: 'nearest' });
  }, [c.id]);
  return (
    <Paper ref={pane} withBorder radius="md" className="chat-pane" data-testid="chat-pane">
      <Box ref={scroller} className="chat-scroll" p="sm" data-testid="chat-scroll">
        <Transcript messages={c.messages} />
      </Box>
      <Box className="chat-composer">
        <AgentActions c={c} />
      </Box>
    </Paper>
  );
}
