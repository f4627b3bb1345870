/**
 * The auth API's shapes, declared once: sign-in and session, staff users, the audit log. The
 * routes validate and document with them, the views return their types, the console imports the
 * types (console/README.md). A schema file: it imports only zod and other schema files.
 */
import { z } from 'zod';
import {
  noContent,
  optionalFilter,
  pageOf,
  pageQuery,
  type Endpoints,
} from '../../http/schemas.js';
import { ROLES } from '../../kernel/roles.js';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export const email = z.string().trim().toLowerCase().pipe(z.email().max(320));
export const newPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH);
const personName = z.string().trim().min(1).max(200);
const role = z.enum(ROLES);

// Sign-in and session

export const sessionUserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role,
    mustChangePassword: z
      .boolean()
      .describe('an admin set a temporary password: every other API answers 403 until changed'),
  })
  .meta({ id: 'SessionUser' });
export type SessionUser = z.infer<typeof sessionUserSchema>;

export const sessionSchema = z.object({ user: sessionUserSchema, csrfToken: z.string() });
export type Session = z.infer<typeof sessionSchema>;

/** The login answer when a second step is owed instead of a session (two-factor/routes.ts). */
export const twoFactorPendingSchema = z
  .object({
    twoFactor: z.enum(['verify', 'enrol']),
    pendingToken: z.string(),
    expiresInSeconds: z.number().int(),
  })
  .meta({ id: 'TwoFactorPending' });
export type TwoFactorPending = z.infer<typeof twoFactorPendingSchema>;

/** A session, or (two-factor on) the pending second step. */
export const loginAnswerSchema = z.union([sessionSchema, twoFactorPendingSchema]);

export const loginBody = z.object({
  email: z.string().trim().toLowerCase().max(320),
  password: z.string().max(1024),
});
export const setupBody = z.object({
  token: z.string().min(1).max(200),
  email,
  name: personName,
  password: newPassword,
});
export const setupStatusSchema = z.object({ setupRequired: z.boolean() });

/** Self-service password reset by email (password-reset-routes.ts). */
export const forgotPasswordBody = z.object({
  email: z.string().trim().toLowerCase().max(320),
  /** The console's language: the mail's, when the account has none. */
  locale: z.enum(['es', 'en']).optional(),
});
export const forgotPasswordStatusSchema = z
  .object({ available: z.boolean().describe('false: mail (SMTP_URL, PUBLIC_URL) is not set up') })
  .meta({ id: 'ForgotPasswordStatus' });
export const forgotPasswordAnswerSchema = z.object({ accepted: z.literal(true) });
export const resetPasswordBody = z.object({
  token: z.string().min(1).max(200),
  password: newPassword,
});

// Staff users

export const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role,
    disabled: z.boolean(),
    mustChangePassword: z.boolean().describe('signed in with a temporary password not yet changed'),
    createdAt: z.string(),
    lastLoginAt: z.string().nullable(),
  })
  .meta({ id: 'User' });
export type UserView = z.infer<typeof userSchema>;

export const createdUserSchema = userSchema
  .pick({ id: true, email: true, name: true, role: true })
  .extend({
    invitation: z
      .enum(['sent', 'failed', 'none'])
      .describe(
        'sent: an invitation mail with a link to choose a password; failed: the relay refused it (a temporary password is answered instead); none: a password was given, or mail is not set up',
      ),
    invitationExpiresAt: z.string().nullable().describe('when the invitation link stops working'),
    temporaryPassword: z
      .string()
      .nullable()
      .describe(
        'no password given and no invitation sent: a generated one, shown this once; the user must change it at first sign-in',
      ),
  })
  .meta({ id: 'CreatedUser' });

export const createUserBody = z.object({
  email,
  name: personName,
  role,
  password: newPassword
    .optional()
    .describe('left out: an invitation is mailed (mail set up) or a temporary password generated'),
  locale: z
    .enum(['es', 'en'])
    .optional()
    .describe("the invitation's language (default DEFAULT_LOCALE)"),
});
/** What the user service creates an account from. */
export interface NewUser {
  email: string;
  name: string;
  role: z.output<typeof role>;
  password: string;
  /** A generated temporary password: a new one must be chosen at first sign-in. */
  mustChangePassword?: boolean;
}

export const userPatchBody = z
  .object({
    role: role.optional(),
    name: personName.optional(),
    disabled: z.boolean().optional(),
    password: newPassword.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'name at least one field');
export type UserPatch = z.output<typeof userPatchBody>;

export const userListQuery = z.object(pageQuery);

/** An admin's temporary password for a user (user-routes.ts): given, or generated when left out. */
export const temporaryPasswordBody = z
  .object({ password: newPassword.optional().describe('left out: one is generated') })
  .strict();
export const temporaryPasswordAnswer = z
  .object({
    user: userSchema,
    temporaryPassword: z
      .string()
      .nullable()
      .describe('the generated password, shown this once (null when the admin gave one)'),
  })
  .meta({ id: 'TemporaryPassword' });

/** A signed-in user changes their own password (required after a temporary one). */
export const changePasswordBody = z
  .object({ currentPassword: z.string().min(1).max(1024), newPassword })
  .strict();

// A malformed id is a 404 like an unknown one (as everywhere in the API), not a 400.
export const userIdParams = z.object({ id: z.string().max(64) });

// The audit log

/** ISO 8601: a date (`2026-12-01`, the whole day for `to`) or a date-time, with or without zone. */
const dateTime = z
  .string()
  .trim()
  .refine(
    (v) => /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v)),
    'must be an ISO 8601 date or date-time',
  );

export const auditQuery = z.object({
  actor: optionalFilter(z.string().trim().max(200)),
  action: optionalFilter(z.string().trim().max(100)),
  target: optionalFilter(z.string().trim().max(300)),
  from: optionalFilter(dateTime),
  to: optionalFilter(dateTime),
  ...pageQuery,
});
export type AuditQuery = z.output<typeof auditQuery>;

const fields = z.record(z.string(), z.unknown()).nullable();
export const auditItemSchema = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.string(),
    actorName: z.string().nullable(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string(),
    /** The target's readable name (a user's or lead's name, a case number), when known. */
    targetName: z.string().nullable(),
    /** Staff ids appearing in `before`/`after` (an owner…) → their names. */
    names: z.record(z.string(), z.string()),
    before: fields,
    after: fields,
    details: fields,
  })
  .meta({ id: 'AuditEntry' });
export type AuditItem = z.infer<typeof auditItemSchema>;

/** The console's calls, typed by what they hit (console/src/api/client.ts). */
export const authEndpoints = {
  'POST /api/auth/login': { body: loginBody, response: loginAnswerSchema },
  'GET /api/auth/me': { response: sessionSchema },
  'POST /api/auth/logout': { response: noContent },
  'GET /api/auth/setup-status': { response: setupStatusSchema },
  'POST /api/auth/setup': { body: setupBody, response: sessionSchema },
  'GET /api/auth/forgot-password': { response: forgotPasswordStatusSchema },
  'POST /api/auth/forgot-password': {
    body: forgotPasswordBody,
    response: forgotPasswordAnswerSchema,
  },
  'POST /api/auth/reset-password': { body: resetPasswordBody, response: noContent },
  'POST /api/auth/change-password': { body: changePasswordBody, response: sessionSchema },
  'GET /api/users': { query: userListQuery, response: pageOf(userSchema) },
  'POST /api/users': { body: createUserBody, response: createdUserSchema },
  'PATCH /api/users/:id': { body: userPatchBody, response: userSchema },
  'DELETE /api/users/:id': { response: noContent },
  'POST /api/users/:id/temporary-password': {
    body: temporaryPasswordBody,
    response: temporaryPasswordAnswer,
  },
  'GET /api/audit': { query: auditQuery, response: pageOf(auditItemSchema) },
} as const satisfies Endpoints;
