/**
 * The shapes of the console's live events (GET /api/stream), declared once: the server publishes
 * them (console-events.ts) and the console reads them (console/src/shell/live.tsx). Types only and
 * no imports, so the console may import this file (type-only) without pulling in the server.
 */

export interface ConversationUpdatedEvent {
  type: 'conversation.updated';
  id: string;
  status: string;
  assignee: { id: string; name: string | null } | null;
  change: 'queued' | 'claimed' | 'assigned' | 'requeued' | 'closed' | 'callback' | 'frustrated';
  at: string;
}

export interface MessageCreatedEvent {
  type: 'message.created';
  conversationId: string;
  messageId: string;
  direction: 'in' | 'out';
  author: 'customer' | 'bot' | 'staff' | 'system';
  channel: string;
  internal: boolean;
  preview: string;
  at: string;
}

/**
 * A staff member set their presence (available / away): colleagues' consoles refetch who can be
 * assigned. Carries the staff id (`user:<id>`) only, no name.
 */
export interface StaffPresenceEvent {
  type: 'staff.presence';
  staffId: string;
  presence: 'available' | 'away';
  at: string;
}

export type ConsoleEvent = ConversationUpdatedEvent | MessageCreatedEvent | StaffPresenceEvent;

/** The stream's first frame, once the socket is subscribed. */
export interface StreamHelloEvent {
  type: 'hello';
  at: string;
}

/** Every frame GET /api/stream sends. */
export type StreamEvent = StreamHelloEvent | ConsoleEvent;
