/**
 * Shapes the console reads from the API. The conversation, contact and auth shapes are the server's
 * own (src/features/<x>/schemas.ts, type-only imports: see console/README.md); the closed sets
 * come from src/kernel/vocabulary.ts and the roles from src/kernel/roles.ts.
 */
import type { Role } from '../../../src/kernel/roles';
import { CHANNEL_IDS, type ChannelId } from '../../../src/kernel/vocabulary';

export type { Role };
export { ROLES } from '../../../src/kernel/roles';
export type { ImportField } from '../../../src/features/contacts/schemas';
export type { ChannelId, ConversationStatus } from '../../../src/kernel/vocabulary';
export { CONVERSATION_STATUSES } from '../../../src/kernel/vocabulary';
export type { Page, Person as StaffRef } from '../../../src/http/schemas';
export type {
  ConversationDetail,
  ConversationSummary,
  MessageView as Message,
  SentimentView as SentimentTrend,
} from '../../../src/features/conversations/schemas';
export type {
  AuditItem,
  Session,
  SessionUser,
  UserView as User,
} from '../../../src/features/auth/schemas';
export type {
  ContactChanges,
  ContactImportReport,
  ContactImportRow,
  ContactSummary,
  ContactView,
  Engagement,
} from '../../../src/features/contacts/schemas';

/** A channel customers write from (the studio's sandbox chat is no customer's). */
export type CustomerChannel = Exclude<ChannelId, 'studio'>;
export const CHANNELS: CustomerChannel[] = CHANNEL_IDS.filter(
  (c): c is CustomerChannel => c !== 'studio',
);

/** The live stream's frames, declared once on the server. */
export type { StreamEvent } from '../../../src/kernel/console-event-types';
export type {
  SearchGroup,
  SearchHit,
  SearchResult,
  SearchType,
} from '../../../src/features/search/schemas';
