/**
 * The realtime topic of a web chat session. Keyed by session, not conversation: a session
 * outlives its conversations (a closed one is replaced), and its stream must follow.
 */
export const sessionTopic = (sessionId: string): string => `webchat-session:${sessionId}`;
