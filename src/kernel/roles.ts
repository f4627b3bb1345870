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
