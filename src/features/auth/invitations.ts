/**
 * Staff invitations by mail: a new account created without a password gets a letter in the
 * invitee's language (through the one mail transport, SMTP_URL) with a single-use link to choose
 * their password, valid INVITATION_TTL_SECONDS — the "forgot password" page and route do the rest
 * (reset-tokens.ts). Available with mail and PUBLIC_URL; otherwise the users route hands the admin
 * a temporary password instead (user-routes.ts).
 */
import type { MailTransport } from '../../kernel/contracts/mail.js';
import type { UserDoc } from '../../kernel/db/models/user.js';
import type { Role } from '../../kernel/roles.js';
import type { Locale } from '../../kernel/vocabulary.js';
import type { ResetTokens } from './reset-tokens.js';

export const INVITATION_TTL_SECONDS = 72 * 60 * 60;

const ROLE_NAMES = {
  es: { admin: 'administración', marketer: 'marketing', agent: 'agente', viewer: 'consulta' },
  en: { admin: 'admin', marketer: 'marketer', agent: 'agent', viewer: 'viewer' },
} as const satisfies Record<Locale, Record<Role, string>>;

const WORDS = {
  es: {
    subject: 'Le han invitado a Charla',
    body: (name: string, by: string, role: string, link: string) =>
      `Hola, ${name}:\n\n${by} le ha creado una cuenta en Charla, la consola de atención al cliente (rol: ${role}). Para entrar, elija su contraseña con este enlace en los próximos 3 días:\n\n${link}\n\nEl enlace sirve una sola vez. Después, entre con este correo y la contraseña elegida. Si no esperaba esta invitación, ignore este correo.\n\nUn saludo,\nCharla`,
  },
  en: {
    subject: "You're invited to Charla",
    body: (name: string, by: string, role: string, link: string) =>
      `Hello ${name},\n\n${by} has created an account for you on Charla, the customer service console (role: ${role}). To sign in, choose your password with this link within the next 3 days:\n\n${link}\n\nThe link works once. Afterwards, sign in with this email address and the password you chose. If you did not expect this invitation, ignore this email.\n\nKind regards,\nCharla`,
  },
} as const;

export interface Invitations {
  /** Mail and PUBLIC_URL are set up. */
  readonly available: boolean;
  /** Mails the invitation; resolves with the link's expiry, rejects when the relay refuses. */
  send(user: UserDoc, locale: Locale, invitedBy: string): Promise<{ expiresAt: Date }>;
}

export function createInvitations(deps: {
  mail: MailTransport | undefined;
  publicUrl: string | undefined;
  tokens: ResetTokens;
}): Invitations {
  const { mail, publicUrl } = deps;
  return {
    available: Boolean(mail && publicUrl),
    async send(user, locale, invitedBy) {
      if (!mail || !publicUrl) throw new Error('invitations need mail and PUBLIC_URL');
      const userId = user._id.toHexString();
      const token = await deps.tokens.issue(userId, 'invitation', INVITATION_TTL_SECONDS);
      const expiresAt = new Date(Date.now() + INVITATION_TTL_SECONDS * 1000);
      const link = new URL('/console/reset-password', publicUrl);
      link.searchParams.set('token', token);
      link.searchParams.set('invitation', '1');
      const w = WORDS[locale];
      const role = ROLE_NAMES[locale][user.role as Role] ?? user.role;
      try {
        await mail.send({
          to: user.email,
          subject: w.subject,
          text: w.body(user.name, invitedBy, role, link.toString()),
          headers: { 'Auto-Submitted': 'auto-generated' },
        });
      } catch (err) {
        // A link nobody received must not stay valid.
        await deps.tokens.spend(token);
        throw err;
      }
      return { expiresAt };
    },
  };
}
