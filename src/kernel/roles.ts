/** Staff roles and who is acting. The server decides with these; the console only hides. */
export const ROLES = ['admin', 'marketer', 'agent', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Who makes a request: a signed-in staff user, or the ADMIN_TOKEN bearer (automation). */
export interface Actor {
  kind: 'user' | 'token';
  /** User id, or `admin-token` for the bearer credential. */
  id: string;
  email?: string;
  name?: string;
  role: Role;
}

export const TOKEN_ACTOR: Actor = {
  kind: 'token',
  id: 'admin-token',
  name: 'ADMIN_TOKEN',
  role: 'admin',
};

/** A short label for audit entries and staff-facing texts. */
export const actorLabel = (actor: Actor): string =>
  actor.kind === 'token' ? 'admin-token' : `user:${actor.id}`;

/**
 * Who may read and who may change each area of the back office, besides admin (who always may).
 * One table: the server's guards (`requireRole(...ACCESS.cases.read)`) decide with it, and the
 * console's page registry (console/src/pages/registry.ts) shows a page to the same roles.
 */
export const ACCESS = {
  conversations: { read: ['agent', 'marketer', 'viewer'], write: ['agent'] },
  /** Teams and assignment: readable by whoever reads conversations; managed by admins. */
  teams: { read: ['agent', 'marketer', 'viewer'], write: [] },
  contacts: { read: ['marketer', 'agent', 'viewer'], write: ['marketer'] },
  /** A customer's own details (name, emails, phones, tags, notes): agents work them too. */
  contactDetails: { read: ['marketer', 'agent', 'viewer'], write: ['marketer', 'agent'] },
  cases: { read: ['agent', 'viewer'], write: ['agent'] },
  /** Shared replies are changed by admins only (checked in the feature); personal by their owner. */
  cannedReplies: { read: ['agent'], write: ['agent'] },
  leads: { read: ['marketer', 'viewer'], write: ['marketer'] },
  segments: { read: ['marketer', 'viewer'], write: ['marketer'] },
  /** Marketing campaigns to consenting contacts (src/features/campaigns). */
  campaigns: { read: ['marketer', 'viewer'], write: ['marketer'] },
  scoring: { read: ['marketer', 'viewer'], write: ['marketer'] },
  analytics: { read: ['marketer', 'viewer'], write: [] },
  orders: { read: ['marketer', 'agent', 'viewer'], write: ['marketer'] },
  value: { read: ['marketer', 'viewer'], write: ['marketer'] },
  /** Sequences (autoresponders): marketers build them. */
  sequences: { read: ['marketer', 'viewer'], write: ['marketer'] },
  /** One contact's runs through sequences: seen and stopped from the contact page by staff. */
  sequenceRuns: { read: ['marketer', 'agent', 'viewer'], write: ['marketer', 'agent'] },
  studio: { read: [], write: [] },
  privacy: { read: [], write: [] },
  webhooks: { read: [], write: [] },
  users: { read: [], write: [] },
  audit: { read: [], write: [] },
  /** Replacing the scoring rules (the scoring page's editor); reading them is `scoring.read`. */
  scoringRules: { read: ['marketer', 'viewer'], write: [] },
  /** Prometheus `/metrics` (an admin session or the admin token). */
  metrics: { read: [], write: [] },
  /** The WhatsApp Web link QR (`/api/whatsapp-web/qr`): it links a WhatsApp account. */
  whatsappLink: { read: [], write: [] },
  /** A staff member's own account (two-factor enrolment): any signed-in role. */
  ownAccount: {
    read: ['marketer', 'agent', 'viewer'],
    write: ['marketer', 'agent', 'viewer'],
  },
} as const satisfies Record<string, { read: readonly Role[]; write: readonly Role[] }>;
