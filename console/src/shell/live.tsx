/**
 * Live updates: one WebSocket per signed-in tab to GET /api/stream. Its events are hints: each
 * invalidates the cached lists and conversations it concerns, and TanStack Query refetches what
 * is on screen (a colleague's presence or a conversation's assignee: the assignable staff too).
 * While the socket is down, pages poll instead (`usePollInterval`).
 */
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { StreamEvent } from '../api/types';

type LiveState = 'connecting' | 'live' | 'offline';
const LiveContext = createContext<LiveState>('offline');

type StreamListener = (event: StreamEvent) => void;
/** Who else hears the stream's events (the inbox's alerts): one socket for the tab, many ears. */
const listeners = new Set<StreamListener>();

/** Calls `listener` with every live event while the component is mounted. */
export function useStreamEvents(listener: StreamListener): void {
  useEffect(() => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, [listener]);
}

export function streamUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/api/stream`;
}

export function LiveProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => {
    let socket: WebSocket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let attempts = 0;
    let stopped = false;
    const connect = () => {
      setState((s) => (s === 'live' ? s : 'connecting'));
      socket = new WebSocket(streamUrl());
      socket.onmessage = (frame) => {
        let event: StreamEvent;
        try {
          event = JSON.parse(String(frame.data)) as StreamEvent;
        } catch {
          return;
        }
        if (event.type === 'hello') {
          attempts = 0;
          setState('live');
          // Whatever happened while we were away: refetch what is shown.
          void queryClient.invalidateQueries({ queryKey: ['conversations'] });
          return;
        }
        for (const listener of listeners) listener(event);
        // Who is available, and each one's open count (the header, assign control, teams page).
        if (event.type !== 'message.created') {
          void queryClient.invalidateQueries({ queryKey: ['assignment', 'agents'] });
        }
        if (event.type === 'staff.presence') return;
        const id = event.type === 'conversation.updated' ? event.id : event.conversationId;
        void queryClient.invalidateQueries({ queryKey: ['conversations'] });
        void queryClient.invalidateQueries({ queryKey: ['conversation', id] });
        void queryClient.invalidateQueries({ queryKey: ['contact'] });
      };
      socket.onclose = () => {
        socket = undefined;
        if (stopped) return;
        setState('offline');
        attempts += 1;
        retry = setTimeout(connect, Math.min(30_000, 1000 * 2 ** Math.min(attempts, 5)));
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      socket?.close();
    };
  }, [queryClient]);
  return <LiveContext.Provider value={state}>{children}</LiveContext.Provider>;
}

export function useLiveState(): LiveState {
  return useContext(LiveContext);
}

/** refetchInterval for live data: none while the socket pushes, a few seconds while it is down. */
export function usePollInterval(ms = 5000): number | false {
  return useLiveState() === 'live' ? false : ms;
}
