/**
 * The inbox beyond its page: the counts of its views (refetched by the live stream like the
 * lists), the number that needs someone — waiting, plus unread in mine — in the navigation and
 * the tab title, and, once the agent opts in, a browser notification and a sound for a new
 * waiting conversation or a new customer message in one of theirs.
 */
import { Badge, Button, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { StreamEvent } from '../../api/types';
import { usePollInterval, useStreamEvents } from '../../shell/live';
import { getInboxCounts } from './api';
import { useInboxT } from './texts';

export const COUNTS_KEY = ['conversations', 'views'] as const;
const ALERTS_KEY = 'charla.inbox.alerts';

export function useInboxCounts(enabled = true) {
  const refetchInterval = usePollInterval(15_000);
  return useQuery({ queryKey: COUNTS_KEY, queryFn: getInboxCounts, refetchInterval, enabled });
}

/** What needs someone now: waiting conversations and unread ones of mine. */
export function attentionCount(counts: { unassigned: number; mineUnread: number | null }) {
  return counts.unassigned + (counts.mineUnread ?? 0);
}

/** The navigation's count beside "Conversations". */
export function InboxNavCount() {
  const ti = useInboxT();
  const counts = useInboxCounts().data;
  const n = counts ? attentionCount(counts) : 0;
  if (!n) return null;
  return (
    <Badge
      size="sm"
      color="orange"
      circle={n < 10}
      aria-label={ti('attention', { n })}
      data-testid="nav-inbox-count"
    >
      {n}
    </Badge>
  );
}

/** "(3) Charla": the tab title carries the same count while the console is open. */
export function useTitleCount(): void {
  const counts = useInboxCounts().data;
  const n = counts ? attentionCount(counts) : 0;
  useEffect(() => {
    const base = document.title.replace(/^\(\d+\) /, '');
    document.title = n ? `(${n}) ${base}` : base;
  }, [n]);
}

function beep(): void {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.4);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.4);
    osc.onended = () => void ctx.close();
  } catch {
    // No audio (autoplay policy, no device): the notification still shows.
  }
}

/** Alerts for events that need this agent, when they opted in (remembered in this browser). */
export function useInboxAlerts() {
  const ti = useInboxT();
  const [on, setOn] = useState(() => localStorage.getItem(ALERTS_KEY) === 'on');
  const counts = useInboxCounts().data;
  const mine = useRef<Set<string>>(new Set());
  mine.current = new Set(counts?.mineIds ?? []);
  const listener = useCallback(
    (event: StreamEvent) => {
      if (!on) return;
      let title: string | null = null;
      let body = '';
      if (event.type === 'conversation.updated' && event.change === 'queued') {
        title = ti('notifyWaiting');
      } else if (
        event.type === 'message.created' &&
        event.author === 'customer' &&
        mine.current.has(event.conversationId)
      ) {
        title = ti('notifyMine', { name: ti('customerSaid') });
        body = event.preview;
      }
      if (!title) return;
      beep();
      if ('Notification' in window && Notification.permission === 'granted') {
        new Notification(title, { body, tag: 'charla-inbox' });
      }
    },
    [on, ti],
  );
  useStreamEvents(listener);
  const toggle = async () => {
    const next = !on;
    if (next && 'Notification' in window && Notification.permission === 'default') {
      await Notification.requestPermission().catch(() => 'denied');
    }
    localStorage.setItem(ALERTS_KEY, next ? 'on' : 'off');
    setOn(next);
  };
  return { on, toggle };
}

/** The opt-in switch for alerts, shown on the conversation list. */
export function AlertsToggle() {
  const ti = useInboxT();
  const { on, toggle } = useInboxAlerts();
  const denied = 'Notification' in window && Notification.permission === 'denied';
  return (
    <Tooltip label={on && denied ? ti('notifyDenied') : ti('notifyHelp')} multiline w={260}>
      <Button
        size="xs"
        variant={on ? 'light' : 'default'}
        onClick={() => void toggle()}
        aria-pressed={on}
        data-testid="alerts-toggle"
      >
        {on ? ti('notifyOn') : ti('notifyOff')}
      </Button>
    </Tooltip>
  );
}
